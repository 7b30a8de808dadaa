package dev.meshplane.api.importing;

import dev.meshplane.api.json.AppMeshJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.DocumentEndEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads YAML (and JSON, which YAML 1.2 includes) into JSON trees, one per document of a multi-document
 * stream. CloudFormation's short-form tags become their long forms as CloudFormation reads them
 * ({@code !Ref x} is {@code {"Ref": "x"}}, {@code !GetAtt a.b} is {@code {"Fn::GetAtt": ["a", "b"]}}, any other
 * {@code !Name} is {@code {"Fn::Name": ...}}), per the template reference's "intrinsic function reference".
 * Anchors and aliases are expanded, up to {@link #EXPANSION_ALLOWANCE} values more than the text's length (an
 * alias repeats a whole subtree, so a few lines of "billion laughs" would otherwise expand without end);
 * duplicate keys are refused (snakeyaml-engine refuses them only when it constructs objects, which this
 * reader does not); integers must fit in 64 bits and floats be finite, as JSON and the API's members take
 * them. Each refusal names the document and the key path. A text that starts with {@code {} or {@code [}
 * is JSON, read by Meshplane's strict JSON reader ({@link AppMeshJson}: duplicate members refused, nesting
 * limited), which also takes tab-indented JSON that YAML would not.
 */
public final class YamlDocuments {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // short forms that name no Fn:: function
    private static final Map<String, String> SPECIAL_TAGS = Map.of("!Ref", "Ref", "!Condition", "Condition");
    /** How many values aliases may add beyond one per character of the text: ample for anchors reused as defaults. */
    static final int EXPANSION_ALLOWANCE = 100_000;

    private YamlDocuments() {
    }

    /**
     * Parses every document of {@code text}; empty documents (a trailing {@code ---}) are skipped, but keep
     * their index so that positions match what an editor shows.
     *
     * @throws ImportException naming the source, the document's index, the line and column, when the text is
     *         neither YAML nor JSON, or nests deeper than {@link AppMeshJson#MAX_NESTING_DEPTH} (checked on the
     *         parser's events, before anything recursive reads the text)
     */
    public static List<SourceDocument> parse(String source, String text) {
        String start = text.stripLeading();
        if (start.startsWith("{") || start.startsWith("[")) {
            return List.of(new SourceDocument(source, 0, json(source, text)));
        }
        LoadSettings settings = LoadSettings.builder()
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(50)
                .setCodePointLimit(16 * 1024 * 1024)
                .build();
        List<SourceDocument> documents = new ArrayList<>();
        int index = 0;
        try {
            // the composer recurses once per level, so a deep text would overflow the stack before toJson's check
            int depth = 0;
            for (Event event : new Parse(settings).parseString(text)) {
                if (event instanceof CollectionStartEvent && ++depth > AppMeshJson.MAX_NESTING_DEPTH) {
                    throw new ImportException(source + "#" + index + ": nested deeper than "
                            + AppMeshJson.MAX_NESTING_DEPTH + " levels at line " + event.getStartMark()
                            .map(m -> m.getLine() + 1).orElse(0));
                }
                if (event instanceof CollectionEndEvent) {
                    depth--;
                } else if (event instanceof DocumentEndEvent) {
                    index++;
                }
            }
            index = 0;
            int[] values = {text.length() + EXPANSION_ALLOWANCE};
            for (Node node : new Compose(settings).composeAllFromString(text)) {
                if (node != null && !(node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL))) {
                    documents.add(new SourceDocument(source, index, toJson(node, source + "#" + index, "", 0, values)));
                }
                index++;
            }
        } catch (MarkedYamlEngineException e) {
            throw new ImportException(source + "#" + index + ": not YAML: " + e.getProblem() + " at line "
                    + (e.getProblemMark().map(m -> m.getLine() + 1).orElse(0)) + ", column "
                    + (e.getProblemMark().map(m -> m.getColumn() + 1).orElse(0)));
        } catch (YamlEngineException e) {
            throw new ImportException(source + "#" + index + ": not YAML: " + e.getMessage());
        }
        return documents;
    }

    private static JsonNode json(String source, String text) {
        try {
            return AppMeshJson.mapper().readTree(text);
        } catch (JacksonException e) {
            String at = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ImportException(source + "#0: not JSON: " + e.getOriginalMessage() + at);
        }
    }

    /**
     * The JSON tree of a composed node.
     *
     * @param path   the key path within the document ({@code Resources.M.Type}), for messages
     * @param values how many values may still be made; aliases count each time they are expanded
     */
    private static JsonNode toJson(Node node, String where, String path, int depth, int[] values) {
        if (depth > AppMeshJson.MAX_NESTING_DEPTH) {
            throw new ImportException(where + ": nested deeper than " + AppMeshJson.MAX_NESTING_DEPTH + " levels");
        }
        if (--values[0] < 0) {
            throw new ImportException(where + ": " + at(path) + "anchors and aliases expand to more values than the"
                    + " text holds (over " + EXPANSION_ALLOWANCE + " more); write the values out, or alias less");
        }
        String tag = node.getTag().getValue();
        JsonNode plain = plain(node, where, path, depth, values);
        if (tag.startsWith("!") && !tag.startsWith("!!")) {
            ObjectNode intrinsic = NODES.objectNode();
            String function = SPECIAL_TAGS.getOrDefault(tag, "Fn::" + tag.substring(1));
            // the short form of GetAtt takes "resource.attribute" as one string
            if (function.equals("Fn::GetAtt") && plain.isString() && plain.asString().contains(".")) {
                String value = plain.asString();
                int dot = value.indexOf('.');
                plain = NODES.arrayNode().add(value.substring(0, dot)).add(value.substring(dot + 1));
            }
            intrinsic.set(function, plain);
            return intrinsic;
        }
        return plain;
    }

    private static JsonNode plain(Node node, String where, String path, int depth, int[] values) {
        if (node instanceof MappingNode mapping) {
            ObjectNode object = NODES.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    throw new YamlEngineException("a mapping key that is not a plain value");
                }
                String member = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
                if (object.has(key.getValue())) {
                    throw new ImportException(where + ": " + member + ": given twice (again at line " + line(key) + ")");
                }
                object.set(key.getValue(), toJson(tuple.getValueNode(), where, member, depth + 1, values));
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = NODES.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                array.add(toJson(items.get(i), where, path + "[" + i + "]", depth + 1, values));
            }
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = scalar.getTag();
        String value = scalar.getValue();
        if (tag.equals(Tag.NULL)) {
            return NODES.nullNode();
        }
        if (tag.equals(Tag.BOOL)) {
            return NODES.booleanNode(Boolean.parseBoolean(value.toLowerCase()));
        }
        if (tag.equals(Tag.INT)) {
            String digits = value.replace("_", "");
            // a long has at most 19 digits; checking the length first keeps a huge literal from costly parsing
            if (digits.length() > 20 || !digits.matches("[-+]?\\d+") || new java.math.BigInteger(digits).bitLength() > 63) {
                throw new ImportException(where + ": " + at(path) + shorten(value)
                        + " is out of range: App Mesh's numbers fit in 64 bits");
            }
            return NODES.numberNode(Long.parseLong(digits));
        }
        if (tag.equals(Tag.FLOAT)) {
            double number;
            try {
                // as Jackson's StreamReadConstraints, no number longer than 1000 characters is read
                number = value.length() > 1000 ? Double.NaN : Double.parseDouble(value);
            } catch (NumberFormatException e) {
                // YAML's .inf, -.inf and .nan, which JSON cannot hold
                number = Double.NaN;
            }
            if (!Double.isFinite(number)) {
                throw new ImportException(where + ": " + at(path) + shorten(value) + " is not a finite number (line "
                        + line(scalar) + ")");
            }
            return NODES.numberNode(number);
        }
        return NODES.stringNode(value);
    }

    private static String at(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
