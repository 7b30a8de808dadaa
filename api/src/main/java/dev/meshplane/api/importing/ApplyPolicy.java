package dev.meshplane.api.importing;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An authorization policy item of an apply document ({@code kind: AuthorizationPolicy}): Meshplane's own resource,
 * which {@code POST /v1/apply} takes beside the App Mesh kinds and checks as {@code PutAuthorizationPolicy} checks its
 * body. The importers carry it as written (its spec is checked by the server, which names the item's document); App
 * Mesh's formats (v1beta2 objects, CloudFormation, describe output) have no such resource.
 *
 * @param meshName   the mesh the policy belongs to
 * @param policyName the policy's name
 * @param spec       the policy's body ({@code targets}, {@code action}, {@code rules}, ...), as written
 * @param version    the version the policy is expected to have, or null
 */
public record ApplyPolicy(String meshName, String policyName, JsonNode spec, Long version) {

    /** The kind as an apply document writes it. */
    public static final String KIND = "AuthorizationPolicy";

    public ApplyPolicy {
        Objects.requireNonNull(meshName, "meshName");
        Objects.requireNonNull(policyName, "policyName");
        Objects.requireNonNull(spec, "spec");
    }

    /** How messages name this policy: {@code AuthorizationPolicy 'deny-admin' in mesh 'shop'}. */
    public String describe() {
        return KIND + " '" + policyName + "' in mesh '" + meshName + "'";
    }

    /** The policy as the apply document's JSON writes it: {@code kind}, {@code meshName}, {@code policyName}, {@code spec}, {@code version} when known. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("kind", KIND);
        node.put("meshName", meshName);
        node.put("policyName", policyName);
        node.set("spec", spec);
        if (version != null) {
            node.put("version", version);
        }
        return node;
    }
}
