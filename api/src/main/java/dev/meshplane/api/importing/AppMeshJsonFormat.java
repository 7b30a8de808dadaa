package dev.meshplane.api.importing;

import dev.meshplane.api.resource.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * App Mesh JSON: what {@code aws appmesh describe-*} prints, {@code {"virtualNode": {"meshName", "virtualNodeName",
 * "spec", "metadata": {"version", ...}, "status"}}}, one object per resource, in a list, each with the resource's
 * {@code tags} beside (as {@code list-tags-for-resource} prints them; describe does not).
 */
public final class AppMeshJsonFormat {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AppMeshJsonFormat() {
    }

    /** The document as a list of describe outputs; versions are written in {@code metadata.version} when known. */
    public static ArrayNode export(ApplyDocument document) {
        ArrayNode result = NODES.arrayNode();
        for (ApplyResource resource : document.resources()) {
            ObjectNode item = result.addObject();
            ObjectNode data = item.putObject(member(resource.kind()));
            data.put("meshName", resource.meshName());
            if (ApplyKinds.parentMember(resource.kind()) != null) {
                data.put(ApplyKinds.parentMember(resource.kind()), resource.parentName());
            }
            if (resource.kind() != ResourceKind.MESH) {
                data.put(ApplyKinds.nameMember(resource.kind()), resource.name());
            }
            data.set("spec", resource.spec());
            if (resource.version() != null) {
                data.putObject("metadata").put("version", resource.version());
            }
            ArrayNode tags = item.putArray("tags");
            resource.tags().forEach(tag -> tags.addObject().put("key", tag.key()).put("value", tag.value()));
        }
        return result;
    }

    /** Whether a document is describe output: an object with one of the describe members, or a list of them. */
    public static boolean isDescribeOutput(JsonNode content) {
        JsonNode first = content.isArray() && !content.isEmpty() ? content.get(0) : content;
        return first.isObject() && describedKind(first) != null;
    }

    /**
     * Reads describe outputs (one, or a list); {@code metadata.version} becomes the version the apply expects,
     * {@code status} and the rest of {@code metadata} are ignored.
     *
     * @throws ImportException naming the document, the item and the member that is missing or wrong
     */
    public static List<ApplyResource> read(SourceDocument document) {
        JsonNode content = document.content();
        List<JsonNode> items = new ArrayList<>();
        if (content.isArray()) {
            content.forEach(items::add);
        } else {
            items.add(content);
        }
        List<ApplyResource> resources = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String where = document.where() + (content.isArray() ? " [" + i + "]" : "");
            ResourceKind kind = describedKind(item);
            if (kind == null) {
                throw new ImportException(where + ": not describe output: one of mesh, virtualNode, virtualRouter, route,"
                        + " virtualService, virtualGateway, gatewayRoute is needed");
            }
            JsonNode data = item.get(member(kind));
            String path = where + "." + member(kind);
            String mesh = name(data, "meshName", path);
            String parent = ApplyKinds.parentMember(kind) == null ? null : name(data, ApplyKinds.parentMember(kind), path);
            String name = kind == ResourceKind.MESH ? mesh : name(data, ApplyKinds.nameMember(kind), path);
            JsonNode version = data.path("metadata").path("version");
            resources.add(new ApplyResource(kind, mesh, parent, name,
                    SpecShapes.canonical(data.path("spec").isObject() ? data.get("spec") : NODES.objectNode(),
                            kind.specType(), path + ".spec", false),
                    SpecShapes.tags(item.path("tags"), where + ".tags", false),
                    version.isIntegralNumber() ? version.longValue() : null));
        }
        return resources;
    }

    private static ResourceKind describedKind(JsonNode item) {
        for (ResourceKind kind : ResourceKind.values()) {
            if (item.path(member(kind)).isObject()) {
                return kind;
            }
        }
        return null;
    }

    private static String name(JsonNode data, String member, String path) {
        JsonNode value = data.path(member);
        if (!value.isString() || value.asString().isEmpty()) {
            throw new ImportException(path + "." + member + ": a name is needed");
        }
        return value.asString();
    }

    /** The member describe output holds a resource of this kind in, e.g. {@code virtualNode}. */
    static String member(ResourceKind kind) {
        return Character.toLowerCase(ApplyKinds.name(kind).charAt(0)) + ApplyKinds.name(kind).substring(1);
    }
}
