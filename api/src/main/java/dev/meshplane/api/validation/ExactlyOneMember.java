package dev.meshplane.api.validation;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record as a union: exactly one of its components must be set.
 * The App Mesh model calls these shapes unions (for example a certificate is a file, an SDS secret or ACM).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ExactlyOneMemberValidator.class)
public @interface ExactlyOneMember {
    String message() default "exactly one member must be set";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
