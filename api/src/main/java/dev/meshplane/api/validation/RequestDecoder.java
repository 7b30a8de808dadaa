package dev.meshplane.api.validation;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.json.AppMeshJson;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.HibernateValidatorConfiguration;
import org.hibernate.validator.cfg.ConstraintMapping;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns a request body into a validated record, or into a BadRequestException whose message names
 * each offending member by its JSON path (for example {@code spec.listeners[0].portMapping.port}).
 */
public final class RequestDecoder {

    private static final ValidatorFactory FACTORY = validatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    /** Jackson's wording when STRICT_DUPLICATE_DETECTION meets a member a second time. */
    private static final java.util.regex.Pattern DUPLICATE_MEMBER =
            java.util.regex.Pattern.compile("Duplicate Object property \"(.*)\"");

    private RequestDecoder() {
    }

    /** Hibernate Validator, with string sizes counted in Unicode characters ({@link CodePointSizeValidator}). */
    private static ValidatorFactory validatorFactory() {
        HibernateValidatorConfiguration configuration = Validation.byProvider(HibernateValidator.class).configure();
        ConstraintMapping sizes = configuration.createConstraintMapping();
        // kept for lists and maps; for String, the more specific type, this one is chosen
        sizes.constraintDefinition(jakarta.validation.constraints.Size.class).includeExistingValidators(true)
                .validatedBy(CodePointSizeValidator.class);
        return configuration.addMapping(sizes).messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
    }

    /** Parses and validates a body; an absent or empty body is refused. */
    public static <T extends Record> T decode(byte[] body, Class<T> type) {
        if (body == null || body.length == 0 || isBlank(body)) {
            throw ApiException.badRequest("the request body is missing; expected a JSON object");
        }
        T value;
        try {
            // the tree is read first so that nesting and size limits hold for the whole document,
            // not just for the part databind reads before it meets the first mismatch
            JsonNode tree = AppMeshJson.mapper().readTree(body);
            value = AppMeshJson.mapper().treeToValue(tree, type);
        } catch (JacksonException e) {
            throw ApiException.badRequest(describe(e));
        }
        if (value == null) {
            throw ApiException.badRequest("the request body is null; expected a JSON object");
        }
        TextRules.checkBody(value);
        validate(value, "");
        SpecRules.check(value);
        return value;
    }

    /** Validates a value against the model's constraints; {@code prefix} is prepended to paths. */
    public static void validate(Object value, String prefix) {
        Set<ConstraintViolation<Object>> violations = VALIDATOR.validate(value);
        if (violations.isEmpty()) {
            return;
        }
        String message = violations.stream()
                .map(v -> join(prefix, path(v.getPropertyPath())) + ": " + reword(v))
                .sorted()
                .distinct()
                .collect(Collectors.joining("; "));
        throw ApiException.badRequest(message);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) {
            return path.isEmpty() ? "body" : path;
        }
        return path.isEmpty() ? prefix : prefix + "." + path;
    }

    static String path(Path path) {
        StringBuilder sb = new StringBuilder();
        for (Path.Node node : path) {
            if (node.isInIterable() && node.getIndex() != null) {
                sb.append('[').append(node.getIndex()).append(']');
            }
            String name = node.getName();
            if (name != null && !name.startsWith("<")) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(name);
            }
        }
        return sb.toString();
    }

    private static String reword(ConstraintViolation<?> violation) {
        String annotation = violation.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
        return switch (annotation) {
            case "NotNull" -> "is required";
            case "NotBlank" -> violation.getInvalidValue() == null ? "is required" : "must not be blank";
            case "Size" -> {
                var attributes = violation.getConstraintDescriptor().getAttributes();
                int min = (Integer) attributes.get("min");
                int max = (Integer) attributes.get("max");
                String what = violation.getInvalidValue() instanceof Collection<?> ? "items" : "characters";
                String bounds = max == Integer.MAX_VALUE ? "at least " + min : min == 0 ? "at most " + max : min + " to " + max;
                yield "must have " + bounds + " " + what + ", has " + size(violation.getInvalidValue());
            }
            case "Min", "Max" -> violation.getMessage() + ", got " + violation.getInvalidValue();
            case "Pattern" -> "must match " + violation.getConstraintDescriptor().getAttributes().get("regexp");
            default -> violation.getMessage();
        };
    }

    private static int size(Object value) {
        if (value instanceof Collection<?> c) {
            return c.size();
        }
        return value == null ? 0 : CodePointSizeValidator.length(value.toString());
    }

    static String describe(JacksonException e) {
        String path = jsonPath(e.getPath());
        String where = path.isEmpty() ? "body" : path;
        if (e instanceof StreamConstraintsException) {
            String original = String.valueOf(e.getOriginalMessage());
            if (original.contains("nesting depth")) {
                return "the request body nests deeper than " + AppMeshJson.MAX_NESTING_DEPTH + " levels";
            }
            if (original.contains("String value length")) {
                return "a string in the request body is longer than " + AppMeshJson.MAX_STRING_LENGTH + " characters";
            }
            if (original.contains("Number value length")) {
                return "a number in the request body has too many digits";
            }
            return "the request body exceeds the parser's limits";
        }
        if (e instanceof UnexpectedEndOfInputException) {
            return "the request body is not valid JSON: it ends early (truncated?)";
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return where + ": unknown member; the members allowed here are " + names(u.getKnownPropertyIds());
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            List<String> allowed = Arrays.stream(f.getTargetType().getEnumConstants()).map(RequestDecoder::wire).toList();
            return where + ": '" + f.getValue() + "' is not one of " + allowed;
        }
        if (e instanceof MismatchedInputException m) {
            return where + ": expected " + expected(m.getTargetType()) + describeToken(m);
        }
        if (e instanceof InputCoercionException) {
            return where + ": the number is out of range";
        }
        if (e instanceof StreamReadException) {
            var location = e.getLocation();
            String at = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            var duplicate = DUPLICATE_MEMBER.matcher(String.valueOf(e.getOriginalMessage()));
            if (duplicate.find()) {
                return "the request body gives member '" + duplicate.group(1) + "' twice in one object" + at
                        + "; each member may appear once";
            }
            return "the request body is not valid JSON" + at + ": " + firstLine(e.getOriginalMessage());
        }
        return where + ": " + firstLine(e.getOriginalMessage());
    }

    private static String describeToken(MismatchedInputException m) {
        return m.getCurrentToken() == null ? "" : ", got " + switch (m.getCurrentToken()) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> m.getCurrentToken().asString();
        };
    }

    private static String wire(Object constant) {
        try {
            return String.valueOf(constant.getClass().getMethod("wireValue").invoke(constant));
        } catch (ReflectiveOperationException e) {
            return String.valueOf(constant);
        }
    }

    private static String names(Collection<Object> ids) {
        return ids == null ? "[]" : ids.stream().map(String::valueOf).sorted().toList().toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == Instant.class) {
            return "a number of seconds since the epoch";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(RequestDecoder::wire).toList();
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    static String jsonPath(List<JacksonException.Reference> references) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : references) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed input";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
