package dev.meshplane.api.validation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a member whose text may span lines (a PEM block, an access log format): {@link TextRules}
 * lets it hold tab, line feed and carriage return, and no other control character.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER})
public @interface MultiLineText {
}
