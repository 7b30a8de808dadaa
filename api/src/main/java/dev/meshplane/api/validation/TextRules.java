package dev.meshplane.api.validation;

import dev.meshplane.api.error.ApiException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What text Meshplane accepts, wherever it arrives (a member of a JSON body, a map key, a path
 * segment, a query parameter): no control characters, Unicode category Cc (U+0000 to U+001F and
 * U+007F to U+009F). App Mesh refuses them too; PostgreSQL cannot store U+0000 at all (neither in
 * text nor in jsonb), and a line break in a name forges lines in logs. Members marked
 * {@link MultiLineText} (PEM blocks, access log formats) may also hold tab, line feed and carriage
 * return. Names beginning with {@link #RESERVED_PREFIX} are Meshplane's own.
 */
public final class TextRules {

    /** Mesh names beginning with this are reserved for Meshplane's own state and cannot be created. */
    public static final String RESERVED_PREFIX = "_meshplane";

    private TextRules() {
    }

    /**
     * What is wrong with a text, or null when nothing is: the first control character and where it is,
     * e.g. {@code must not contain control characters (U+0000 at index 3)}, or the first unpaired
     * surrogate (a JSON escape such as backslash-ud800 alone: no Unicode character, and UTF-8, which
     * PostgreSQL stores and URLs carry, cannot encode it, so a name created with one could never be
     * addressed).
     */
    public static String problem(String text, boolean multiLine) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && !(multiLine && (c == '\t' || c == '\n' || c == '\r'))) {
                return "must not contain control characters (U+%04X at index %d)".formatted((int) c, i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must not contain an unpaired surrogate (U+%04X at index %d): it is not a Unicode character"
                        .formatted((int) c, i);
            }
        }
        return null;
    }

    /**
     * The text with every control character written as an escape (a line feed as backslash-n, U+0000 as backslash-u0000):
     * what log lines and audit rows quote of what a client sent (a node id, a user agent, a name),
     * so that no client can start a forged line or store a NUL. Null stays null.
     */
    public static String printable(String text) {
        if (text == null || text.chars().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        sb.append("\\u%04x".formatted((int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** True for a mesh name only Meshplane may use. */
    public static boolean reserved(String meshName) {
        return meshName != null && meshName.startsWith(RESERVED_PREFIX);
    }

    /**
     * Refuses a URL value (path variable or query parameter) holding a control character, with a
     * BadRequestException naming it: {@code meshName: must not contain control characters (U+0001 at index 1)}.
     */
    public static void checkParameter(String name, String value) {
        String problem = value == null ? null : problem(value, false);
        if (problem != null) {
            throw ApiException.badRequest(name + ": " + problem);
        }
    }

    /**
     * Checks every string of a decoded body (record members, list items, map keys and values) and
     * throws one BadRequestException naming each offending member by its JSON path.
     */
    public static void checkBody(Object body) {
        List<String> problems = new ArrayList<>();
        walk(body, "", false, problems);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(String.join("; ", problems));
        }
    }

    private static void walk(Object value, String path, boolean multiLine, List<String> problems) {
        if (value instanceof String text) {
            String problem = problem(text, multiLine);
            if (problem != null) {
                problems.add((path.isEmpty() ? "body" : path) + ": " + problem);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", multiLine, problems);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> {
                String keyProblem = key instanceof String k ? problem(k, false) : null;
                if (keyProblem != null) {
                    // the key itself is not printed: it is the offending text
                    problems.add(path + ": a key " + keyProblem);
                } else {
                    walk(item, path + "." + key, multiLine, problems);
                }
            });
        } else if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                Object child;
                try {
                    child = component.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                if (child != null) {
                    walk(child, path.isEmpty() ? component.getName() : path + "." + component.getName(),
                            component.isAnnotationPresent(MultiLineText.class), problems);
                }
            }
        }
    }
}
