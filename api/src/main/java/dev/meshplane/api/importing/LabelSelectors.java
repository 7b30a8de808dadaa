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
     * @throws ImportException naming {@code where} for an operator Kubernetes does not have
     */
    static boolean matches(JsonNode selector, JsonNode labels, boolean absentSelectsAll, String where) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return absentSelectsAll;
        }
        for (var required : selector.path("matchLabels").properties()) {
            if (!labels.path(required.getKey()).asString("\u0000").equals(required.getValue().asString())) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asString("");
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asString()));
            boolean present = labels.has(key);
            boolean holds = switch (expression.path("operator").asString("")) {
                case "In" -> present && values.contains(labels.get(key).asString());
                case "NotIn" -> !present || !values.contains(labels.get(key).asString());
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
}
