package dev.meshplane.api.importing;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes label selectors ({@code matchLabels}, {@code matchExpressions} with In, NotIn, Exists, DoesNotExist)
 * as apimachinery's {@code LabelSelectorAsSelector} evaluates them: every requirement must hold, and an empty
 * selector selects everything. What an absent selector means is the caller's (the controller's mesh and
 * namespace selectors select nothing then, its gateway route selector everything).
 */
final class LabelSelectors {

    private LabelSelectors() {
    }

    /**
     * Whether {@code selector} selects an object with {@code labels}.
     *
     * @param absentSelectsAll the answer when there is no selector
     * @throws ImportException naming {@code where} for an operator Kubernetes does not have, or a key or value
     *         that is not text
     */
    static boolean matches(JsonNode selector, JsonNode labels, boolean absentSelectsAll, String where) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return absentSelectsAll;
        }
        for (var required : selector.path("matchLabels").properties()) {
            String value = text(required.getValue(), where + ".matchLabels." + required.getKey());
            if (!value.equals(label(labels, required.getKey()))) {
                return false;
            }
        }
        int index = 0;
        for (JsonNode expression : selector.path("matchExpressions")) {
            String at = where + ".matchExpressions[" + index++ + "]";
            String key = text(expression.path("key"), at + ".key");
            List<String> values = new ArrayList<>();
            int i = 0;
            for (JsonNode value : expression.path("values")) {
                values.add(text(value, at + ".values[" + i++ + "]"));
            }
            boolean present = labels.has(key);
            boolean holds = switch (expression.path("operator").asString("")) {
                case "In" -> present && values.contains(label(labels, key));
                case "NotIn" -> !present || !values.contains(label(labels, key));
                case "Exists" -> present;
                case "DoesNotExist" -> !present;
                default -> throw new ImportException(where + ".matchExpressions: operator '"
                        + expression.path("operator").asString("") + "' is none of In, NotIn, Exists, DoesNotExist");
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    /** A selector's value: Kubernetes' selectors hold text only. */
    private static String text(JsonNode value, String where) {
        if (!value.isString()) {
            throw new ImportException(where + ": a text value is needed");
        }
        return value.asString();
    }

    /** An object's label value, or null when it has none (a label that is not text matches no value). */
    private static String label(JsonNode labels, String key) {
        JsonNode value = labels.path(key);
        return value.isString() ? value.asString() : null;
    }
}
