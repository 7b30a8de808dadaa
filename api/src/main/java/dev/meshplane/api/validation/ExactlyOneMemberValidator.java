package dev.meshplane.api.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Checks {@link ExactlyOneMember}: reports which members were set, and which could have been. */
public final class ExactlyOneMemberValidator implements ConstraintValidator<ExactlyOneMember, Record> {

    @Override
    public boolean isValid(Record value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        RecordComponent[] components = value.getClass().getRecordComponents();
        List<String> set = new ArrayList<>();
        for (RecordComponent component : components) {
            if (read(component, value) != null) {
                set.add(component.getName());
            }
        }
        if (set.size() == 1) {
            return true;
        }
        List<String> names = Arrays.stream(components).map(RecordComponent::getName).toList();
        String message = set.isEmpty()
                ? "exactly one of " + names + " must be set, but none is"
                : "exactly one of " + names + " must be set, but " + set + " are";
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(escape(message)).addConstraintViolation();
        return false;
    }

    private static Object read(RecordComponent component, Record value) {
        try {
            return component.getAccessor().invoke(value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }

    private static String escape(String message) {
        return message.replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
}
