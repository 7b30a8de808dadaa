package dev.meshplane.controlplane.apply;

import tools.jackson.databind.JsonNode;

/**
 * One field an apply changes: its JSON path in the resource ({@code spec.httpRoute.action.weightedTargets[0].weight},
 * {@code tags.team}) and its value before and after; a value absent on one side is null.
 */
public record FieldChange(String path, JsonNode oldValue, JsonNode newValue) {
}
