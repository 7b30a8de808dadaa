package dev.meshplane.api.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.Size;

/**
 * {@link Size} on a string counted in Unicode characters (code points), as the AWS CLI counts the
 * model's {@code min}/{@code max} (botocore's {@code validate.py}, {@code _validate_string}: Python's
 * {@code len}, "Invalid length for parameter"), where Bean Validation's own validator counts UTF-16
 * units: a name of 200 emoji was refused as "has 400" characters, though the CLI sends it. In: the
 * string (null is valid, as for every {@code @Size}); out: whether its code point count is within
 * bounds. Registered for {@code String} in {@link RequestDecoder}.
 */
public final class CodePointSizeValidator implements ConstraintValidator<Size, String> {

    private int min;
    private int max;

    @Override
    public void initialize(Size size) {
        this.min = size.min();
        this.max = size.max();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        int length = length(value);
        return length >= min && length <= max;
    }

    /** The number of Unicode characters in a text: a surrogate pair is one. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}
