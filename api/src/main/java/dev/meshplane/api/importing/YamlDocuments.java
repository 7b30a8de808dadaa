package dev.meshplane.api.importing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads YAML (and JSON, which YAML 1.2 includes) into JSON trees, one per document of a multi-document
 * stream. CloudFormation's short-form tags become their long forms as CloudFormation reads them
 * ({@code !Ref x} is {@code {"Ref": "x"}}, {@code !GetAtt a.b} is {@code {"Fn::GetAtt": ["a", "b"]}}, any other
 * {@code !Name} is {@code {"Fn::Name": ...}}), per the template reference's "intrinsic function reference".
 * Anchors and aliases are expanded; duplicate keys are refused.
 */
public final class YamlDocuments {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // short forms that name no Fn:: function
    private static final Map<String, String> SPECIAL_TAGS = Map.of("!Ref", "Ref", "!Condition", "Condition");

    private YamlDocuments() {
    }

    /**
     * Parses every document of {@code text}; empty documents (a trailing {@code ---}) are skipped, but keep
     * their index so that positions match what an editor shows.
     *
     * @throws ImportException naming the source, the line and column, when the text is not YAML
     */
    public static List<SourceDocument> parse(String source, String text) {
        LoadSettings settings = LoadSettings.builder()
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(50)
                .setCodePointLimit(16 * 1024 * 1024)
                .build();
        List<SourceDocument> documents = new ArrayList<>();
        try {
            int index = 0;
            for (Node node : new Compose(settings).composeAllFromString(text)) {
                if (node != null && !(node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL))) {
                    documents.add(new SourceDocument(source, index, toJson(node)));
                }
                index++;
            }
        } catch (MarkedYamlEngineException e) {
            throw new ImportException(source + ": not YAML: " + e.getProblem() + " at line "
                    + (e.getProblemMark().map(m -> m.getLine() + 1).orElse(0)) + ", column "
                    + (e.getProblemMark().map(m -> m.getColumn() + 1).orElse(0)));
        } catch (YamlEngineException e) {
            throw new ImportException(source + ": not YAML: " + e.getMessage());
        }
        return documents;
    }

    private static JsonNode toJson(Node node) {
        String tag = node.getTag().getValue();
        JsonNode plain = plain(node);
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

    private static JsonNode plain(Node node) {
        if (node instanceof MappingNode mapping) {
            ObjectNode object = NODES.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    throw new YamlEngineException("a mapping key that is not a plain value");
                }
                object.set(key.getValue(), toJson(tuple.getValueNode()));
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = NODES.arrayNode();
            sequence.getValue().forEach(item -> array.add(toJson(item)));
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
            return NODES.numberNode(new java.math.BigInteger(value.replace("_", "")).longValueExact());
        }
        if (tag.equals(Tag.FLOAT)) {
            return NODES.numberNode(Double.parseDouble(value));
        }
        return NODES.stringNode(value);
    }
}
