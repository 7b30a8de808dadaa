package dev.meshplane.controlplane.traffic;

import dev.meshplane.api.error.ApiException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A traffic query's window: a whole number of seconds, minutes or hours ({@code 30s}, {@code 5m}, {@code 1h}). */
public record TrafficWindow(String text, Duration length) {

    private static final Pattern SYNTAX = Pattern.compile("([1-9][0-9]{0,5})([smh])");

    /**
     * Parses and bounds a window: at least one bucket, at most the retention (what is kept).
     *
     * @throws ApiException BadRequestException naming {@code window} when the text is not such a duration or out of bounds
     */
    public static TrafficWindow parse(String text, TrafficProperties properties) {
        Matcher m = text == null ? null : SYNTAX.matcher(text);
        if (m == null || !m.matches()) {
            throw ApiException.badRequest("window: must be a whole number of seconds, minutes or hours such as 30s, 5m"
                    + " or 1h, got '" + dev.meshplane.api.validation.TextRules.printable(String.valueOf(text)) + "'");
        }
        long amount = Long.parseLong(m.group(1));
        Duration length = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (length.compareTo(properties.bucket()) < 0 || length.compareTo(properties.retention()) > 0) {
            throw ApiException.badRequest("window: must be from " + properties.bucket().toSeconds() + "s"
                    + " (meshplane.traffic.bucket) to " + properties.retention().toSeconds() + "s"
                    + " (meshplane.traffic.retention), got " + text);
        }
        return new TrafficWindow(text, length);
    }
}
