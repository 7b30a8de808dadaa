package dev.meshplane.controlplane.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The fields in which two JSON values differ, as {@link FieldChange}s: objects member by member (in
 * name order), arrays item by item, anything else as one change at its path.
 */
final class FieldDiff {

    private FieldDiff() {
    }

    /** The changes from {@code before} to {@code after} (either may be null: absent), under {@code path}. */
    static List<FieldChange> of(String path, JsonNode before, JsonNode after) {
        List<FieldChange> changes = new ArrayList<>();
        diff(path, before, after, changes);
        return changes;
    }

    /** The changes from one tag map to another, as paths {@code tags.<key>}. */
    static List<FieldChange> ofTags(Map<String, String> before, Map<String, String> after) {
        List<FieldChange> changes = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            String old = before.get(key);
            String now = after.get(key);
            if (old == null || !old.equals(now)) {
                changes.add(new FieldChange("tags." + key, old == null ? null : JsonNodeFactory.instance.stringNode(old),
                        now == null ? null : JsonNodeFactory.instance.stringNode(now)));
            }
        }
        return changes;
    }

    private static void diff(String path, JsonNode before, JsonNode after, List<FieldChange> changes) {
        if (before == null ? after == null : before.equals(after)) {
            return;
        }
        if (before != null && after != null && before.isObject() && after.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            before.properties().forEach(e -> names.add(e.getKey()));
            after.properties().forEach(e -> names.add(e.getKey()));
            for (String name : names) {
                diff(path + "." + name, before.get(name), after.get(name), changes);
            }
        } else if (before != null && after != null && before.isArray() && after.isArray()) {
            for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
                diff(path + "[" + i + "]", before.get(i), after.get(i), changes);
            }
        } else {
            changes.add(new FieldChange(path, before, after));
        }
    }
}
