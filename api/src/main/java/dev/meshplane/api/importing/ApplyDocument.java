package dev.meshplane.api.importing;

import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.TagRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code POST /v1/apply} takes: {@code {"resources": [...]}}, each App Mesh resource as {@link ApplyResource}
 * writes it, then each authorization policy as {@link ApplyPolicy} writes it. Resources are kept in a canonical order
 * (kind in {@link dev.meshplane.api.resource.ResourceKind}'s order, then mesh, parent and name), policies by mesh and
 * name, so that two documents holding the same resources are equal as JSON.
 */
public record ApplyDocument(List<ApplyResource> resources, List<ApplyPolicy> policies) {

    private static final Comparator<ApplyResource> ORDER = Comparator
            .comparing(ApplyResource::kind)
            .thenComparing(ApplyResource::meshName)
            .thenComparing(r -> r.parentName() == null ? "" : r.parentName())
            .thenComparing(ApplyResource::name);

    private static final Comparator<ApplyPolicy> POLICY_ORDER = Comparator.comparing(ApplyPolicy::meshName)
            .thenComparing(ApplyPolicy::policyName);

    public ApplyDocument {
        List<ApplyResource> sorted = new ArrayList<>(resources);
        sorted.sort(ORDER);
        resources = List.copyOf(sorted);
        List<ApplyPolicy> sortedPolicies = new ArrayList<>(policies);
        sortedPolicies.sort(POLICY_ORDER);
        policies = List.copyOf(sortedPolicies);
    }

    /** A document of App Mesh resources only. */
    public ApplyDocument(List<ApplyResource> resources) {
        this(resources, List.of());
    }

    /** How many items the document's {@code resources} array holds: the resources, then the policies. */
    public int size() {
        return resources.size() + policies.size();
    }

    /** The document as JSON. */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        var array = root.putArray("resources");
        resources.forEach(r -> array.add(r.toJson()));
        policies.forEach(p -> array.add(p.toJson()));
        return root;
    }

    /** The document as indented JSON text. */
    public String toJsonText() {
        return AppMeshJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson());
    }

    /**
     * Reads an apply document's JSON, checking each spec against its kind's spec record.
     *
     * @throws ImportException naming the resource's index and the member that is missing or wrong
     */
    public static ApplyDocument fromJson(String source, JsonNode json) {
        JsonNode array = json.path("resources");
        if (!array.isArray()) {
            throw new ImportException(source + ": resources: an array of resources is needed");
        }
        List<ApplyResource> resources = new ArrayList<>();
        List<ApplyPolicy> policies = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            String where = source + ": resources[" + i + "]";
            String kindName = text(item, "kind", where);
            if (kindName.equals(ApplyPolicy.KIND)) {
                policies.add(policy(item, where));
                continue;
            }
            ResourceKind kind = ApplyKinds.of(kindName).orElseThrow(() -> new ImportException(
                    where + ".kind: unknown kind '" + kindName + "'; known: Mesh, VirtualNode, VirtualRouter, Route,"
                            + " VirtualService, VirtualGateway, GatewayRoute, " + ApplyPolicy.KIND));
            String mesh = text(item, "meshName", where);
            String name = text(item, ApplyKinds.nameMember(kind), where);
            String parent = ApplyKinds.parentMember(kind) == null ? null : text(item, ApplyKinds.parentMember(kind), where);
            JsonNode spec = SpecShapes.canonical(item.path("spec").isMissingNode() ? JsonNodeFactory.instance.objectNode()
                    : item.get("spec"), kind.specType(), where + ".spec", false);
            List<TagRef> tags = SpecShapes.tags(item.path("tags"), where + ".tags", false);
            resources.add(new ApplyResource(kind, mesh, parent, name, spec, tags, version(item, where)));
        }
        return new ApplyDocument(resources, policies);
    }

    /** An AuthorizationPolicy item: its names and version checked here, its spec by the server (PutAuthorizationPolicy's rules). */
    private static ApplyPolicy policy(JsonNode item, String where) {
        JsonNode spec = item.path("spec");
        if (!spec.isObject()) {
            throw new ImportException(where + ".spec: an AuthorizationPolicy needs its spec (targets, action, rules)");
        }
        return new ApplyPolicy(text(item, "meshName", where), text(item, "policyName", where), spec, version(item, where));
    }

    private static Long version(JsonNode item, String where) {
        JsonNode version = item.path("version");
        if (!version.isMissingNode() && !version.isIntegralNumber()) {
            throw new ImportException(where + ".version: a whole number is needed");
        }
        return version.isMissingNode() ? null : version.longValue();
    }

    private static String text(JsonNode item, String member, String where) {
        JsonNode value = item.path(member);
        if (!value.isString() || value.asString().isEmpty()) {
            throw new ImportException(where + "." + member + ": a name is needed");
        }
        return value.asString();
    }
}
