package dev.meshplane.api.importing;

import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.TagRef;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Brings a spec written in another tool's spelling to the API's: member names are matched to the spec
 * record's components exactly, else ignoring case (CloudFormation writes {@code Listeners}, {@code TLS},
 * {@code AWSCloudMap}, {@code HTTP2}; the App Mesh controller's CRDs {@code certificateARN}; the API
 * {@code listeners}, {@code tls}, {@code awsCloudMap}, {@code http2}, {@code certificateArn}, the CloudFormation
 * resource specification differing from the API model only in case). The result is read into the record with
 * Meshplane's strict JSON reader and written back, so it is in canonical form (members in record order,
 * absent members left out) and two spellings of one spec compare equal.
 */
final class SpecShapes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SpecShapes() {
    }

    /**
     * The spec in the API's spelling and canonical form.
     *
     * @param path how the caller's document names {@code spec}, prefixed to every error
     * @param coerceScalars whether "8080" may stand for 8080 and "true" for true (CloudFormation converts them so)
     * @throws ImportException naming the member that is unknown or of the wrong type, with its path
     */
    static JsonNode canonical(JsonNode spec, Class<?> type, String path, boolean coerceScalars) {
        JsonNode shaped = shape(spec, type, path, coerceScalars);
        try {
            return AppMeshJson.mapper().valueToTree(AppMeshJson.mapper().treeToValue(shaped, type));
        } catch (JacksonException e) {
            String at = e.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? "." + ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining());
            throw new ImportException(path + at + ": " + e.getOriginalMessage());
        }
    }

    /**
     * Tags as {@code [{"key": .., "value": ..}]}, in either case ({@code Key}/{@code Value} in CloudFormation).
     *
     * @throws ImportException naming the tag that is malformed
     */
    static List<TagRef> tags(JsonNode tags, String path, boolean coerceScalars) {
        if (tags.isMissingNode() || tags.isNull()) {
            return List.of();
        }
        JsonNode shaped = shape(tags, new ParameterizedTypeOfList(TagRef.class), path, coerceScalars);
        List<TagRef> result = new ArrayList<>();
        for (int i = 0; i < shaped.size(); i++) {
            JsonNode tag = shaped.get(i);
            if (!tag.path("key").isString() || !tag.path("value").isString()) {
                throw new ImportException(path + "[" + i + "]: a tag needs a key and a value, both text");
            }
            result.add(new TagRef(tag.get("key").asString(), tag.get("value").asString()));
        }
        return result;
    }

    private static JsonNode shape(JsonNode node, Type type, String path, boolean coerce) {
        if (type instanceof Class<?> record && record.isRecord()) {
            if (!node.isObject()) {
                throw new ImportException(path + ": an object is needed here, got " + node.getNodeType().name().toLowerCase());
            }
            ObjectNode result = NODES.objectNode();
            for (var member : node.properties()) {
                if (member.getValue().isNull()) {
                    continue;
                }
                RecordComponent component = component(record, member.getKey()).orElseThrow(() -> new ImportException(
                        path + "." + member.getKey() + ": not a member here; the members are "
                                + Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                                .collect(Collectors.joining(", "))));
                if (result.has(component.getName())) {
                    throw new ImportException(path + "." + member.getKey() + ": given twice (as '" + component.getName()
                            + "' in another case)");
                }
                result.set(component.getName(), shape(member.getValue(), component.getGenericType(),
                        path + "." + member.getKey(), coerce));
            }
            return result;
        }
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            if (!node.isArray()) {
                throw new ImportException(path + ": a list is needed here, got " + node.getNodeType().name().toLowerCase());
            }
            ArrayNode result = NODES.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                result.add(shape(node.get(i), list.getActualTypeArguments()[0], path + "[" + i + "]", coerce));
            }
            return result;
        }
        return coerce ? coerce(node, type) : node;
    }

    private static Optional<RecordComponent> component(Class<?> record, String name) {
        RecordComponent[] components = record.getRecordComponents();
        return Arrays.stream(components).filter(c -> c.getName().equals(name)).findFirst()
                .or(() -> Arrays.stream(components).filter(c -> c.getName().equalsIgnoreCase(name)).findFirst());
    }

    private static JsonNode coerce(JsonNode node, Type type) {
        if (node.isString()) {
            String text = node.asString();
            if ((type == Integer.class || type == Long.class || type == int.class || type == long.class)
                    && text.matches("-?\\d{1,18}")) {
                return NODES.numberNode(Long.parseLong(text));
            }
            if ((type == Double.class || type == double.class) && text.matches("-?\\d+(\\.\\d+)?")) {
                return NODES.numberNode(Double.parseDouble(text));
            }
            if ((type == Boolean.class || type == boolean.class) && (text.equals("true") || text.equals("false"))) {
                return NODES.booleanNode(Boolean.parseBoolean(text));
            }
        }
        if (type == String.class && (node.isNumber() || node.isBoolean())) {
            return NODES.stringNode(node.asString());
        }
        return node;
    }

    /** {@code List<element>} as a reflected type, for shapes that are lists at the top. */
    private record ParameterizedTypeOfList(Type element) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return new Type[] {element};
        }

        @Override
        public Type getRawType() {
            return List.class;
        }

        @Override
        public Type getOwnerType() {
            return null;
        }
    }
}
