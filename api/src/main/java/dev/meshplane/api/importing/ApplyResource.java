package dev.meshplane.api.importing;

import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.api.model.TagRef;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One resource of an apply document: its kind, mesh, own name, parent (router or gateway, for routes and
 * gateway routes; else null), its spec as the Create* request takes it, its tags and optionally the version
 * it is expected to have.
 */
public record ApplyResource(ResourceKind kind, String meshName, String parentName, String name, JsonNode spec,
                            List<TagRef> tags, Long version) {

    public ApplyResource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(meshName, "meshName");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        tags = tags == null ? List.of() : List.copyOf(tags);
        if ((ApplyKinds.parentMember(kind) == null) != (parentName == null)) {
            throw new IllegalArgumentException(ApplyKinds.name(kind) + " '" + name + "': a parent is needed exactly for routes and gateway routes");
        }
    }

    /** How messages name this resource: {@code VirtualNode 'web' in mesh 'shop'}. */
    public String describe() {
        return ApplyKinds.name(kind) + " '" + name + "'" + (parentName == null ? "" : " of '" + parentName + "'") + " in mesh '" + meshName + "'";
    }

    /**
     * The resource as the apply document's JSON writes it: {@code kind}, {@code meshName}, the name member
     * (and parent member), {@code spec}, {@code tags} and {@code version} when known.
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("kind", ApplyKinds.name(kind));
        node.put("meshName", meshName);
        if (ApplyKinds.parentMember(kind) != null) {
            node.put(ApplyKinds.parentMember(kind), parentName);
        }
        if (kind != ResourceKind.MESH) {
            node.put(ApplyKinds.nameMember(kind), name);
        }
        node.set("spec", spec);
        var tagArray = node.putArray("tags");
        tags.forEach(tag -> tagArray.addObject().put("key", tag.key()).put("value", tag.value()));
        if (version != null) {
            node.put("version", version);
        }
        return node;
    }
}
