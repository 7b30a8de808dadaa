package dev.meshplane.controlplane.apply;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.CreateGatewayRouteRequest;
import dev.meshplane.api.model.CreateMeshRequest;
import dev.meshplane.api.model.CreateRouteRequest;
import dev.meshplane.api.model.CreateVirtualGatewayRequest;
import dev.meshplane.api.model.CreateVirtualNodeRequest;
import dev.meshplane.api.model.CreateVirtualRouterRequest;
import dev.meshplane.api.model.CreateVirtualServiceRequest;
import dev.meshplane.api.model.TagRef;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.api.validation.AuthorizationPolicyRules;
import dev.meshplane.api.validation.RequestDecoder;
import dev.meshplane.controlplane.appmesh.ResourceService;
import dev.meshplane.controlplane.security.AuthorizationPolicies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Reads an apply document ({@link ApplyRequest}) into {@link DesiredResource}s (and {@link DesiredPolicy}s for
 * its authorization policies): each item is decoded and
 * validated as the Create request of its kind is (the same {@link RequestDecoder} and spec rules), after
 * the members that the Create operation takes from its path ({@code meshName}, {@code virtualRouterName},
 * {@code virtualGatewayName}) and {@code kind} and {@code version} are taken out.
 */
final class ApplyRequestReader {

    /** The kinds as the document names them, with the Create request each is decoded as. */
    static final Map<String, ResourceKind> KINDS = new LinkedHashMap<>();
    private static final Map<ResourceKind, Class<? extends Record>> REQUESTS = Map.of(
            ResourceKind.MESH, CreateMeshRequest.class,
            ResourceKind.VIRTUAL_NODE, CreateVirtualNodeRequest.class,
            ResourceKind.VIRTUAL_SERVICE, CreateVirtualServiceRequest.class,
            ResourceKind.VIRTUAL_ROUTER, CreateVirtualRouterRequest.class,
            ResourceKind.ROUTE, CreateRouteRequest.class,
            ResourceKind.VIRTUAL_GATEWAY, CreateVirtualGatewayRequest.class,
            ResourceKind.GATEWAY_ROUTE, CreateGatewayRouteRequest.class);

    static {
        for (ResourceKind kind : ResourceKind.values()) {
            KINDS.put(kindName(kind), kind);
        }
    }

    private ApplyRequestReader() {
    }

    /** The kind as the document and the plan spell it: {@code VirtualNode} for {@link ResourceKind#VIRTUAL_NODE}. */
    static String kindName(ResourceKind kind) {
        String segment = kind.arnSegment();
        return Character.toUpperCase(segment.charAt(0)) + segment.substring(1);
    }

    /**
     * The document's resources and policies, in document order.
     *
     * @throws ApiException BadRequestException naming {@code resources[i]}, its kind and name and the member at
     *     fault: malformed JSON, an unknown kind, a missing mesh or parent name, a spec its Create operation
     *     would refuse, a resource given twice
     */
    static Contents read(byte[] body) {
        return read(body, i -> "resources[" + i + "]");
    }

    /**
     * As {@link #read(byte[])}, but messages name item {@code i} as {@code where.apply(i)}: an imported document
     * names the YAML document or template the item was read from, which the user wrote, rather than its position
     * in the converted document.
     */
    static Contents read(byte[] body, IntFunction<String> where) {
        List<Map<String, Object>> items = RequestDecoder.decode(body, ApplyRequest.class).resources();
        List<DesiredResource> resources = new ArrayList<>();
        List<DesiredPolicy> policies = new ArrayList<>();
        Map<ResourceId, DesiredResource> seen = new HashMap<>();
        Map<String, DesiredPolicy> seenPolicies = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            if (PolicyApply.KIND.equals(items.get(i).get("kind"))) {
                DesiredPolicy policy = policy(i, where.apply(i), items.get(i));
                DesiredPolicy earlier = seenPolicies.putIfAbsent(policy.mesh() + "/" + policy.name(), policy);
                if (earlier != null) {
                    throw ApiException.badRequest(policy.label() + ": is already given as " + where.apply(earlier.index())
                            + "; each resource may appear once");
                }
                policies.add(policy);
                continue;
            }
            DesiredResource resource = item(i, where.apply(i), items.get(i));
            DesiredResource earlier = seen.putIfAbsent(resource.id(), resource);
            if (earlier != null) {
                throw ApiException.badRequest(resource.label() + ": is already given as " + where.apply(earlier.index())
                        + "; each resource may appear once");
            }
            resources.add(resource);
        }
        return new Contents(resources, policies);
    }

    /** A document's App Mesh resources and its authorization policies, each in document order. */
    record Contents(List<DesiredResource> resources, List<DesiredPolicy> policies) {
    }

    /** An {@code AuthorizationPolicy} item, checked as PutAuthorizationPolicy checks its name and body. */
    private static DesiredPolicy policy(int index, String at, Map<String, Object> item) {
        Map<String, Object> request = new LinkedHashMap<>(item);
        request.remove("kind");
        String mesh = text(at, PolicyApply.KIND, request, "meshName", true);
        Long version = version(at, PolicyApply.KIND, request.remove("version"));
        Object name = request.get("policyName");
        String what = name instanceof String n ? "authorization policy '" + n + "' in mesh '" + mesh + "'" : PolicyApply.KIND;
        PolicyRequest decoded;
        try {
            decoded = RequestDecoder.decode(AppMeshJson.mapper().writeValueAsBytes(request), PolicyRequest.class);
            AuthorizationPolicies.checkName(decoded.policyName());
        } catch (ApiException e) {
            throw new ApiException(e.code(), at + " (" + what + "): " + e.getMessage());
        }
        try {
            AuthorizationPolicyRules.check(decoded.spec());
        } catch (ApiException e) {
            // the check names members from the policy's body, which is this item's spec
            throw new ApiException(e.code(), at + " (" + what + "): spec." + e.getMessage());
        }
        return new DesiredPolicy(index, at, mesh, decoded.policyName(), decoded.spec(), version);
    }

    private static DesiredResource item(int index, String at, Map<String, Object> item) {
        Map<String, Object> request = new LinkedHashMap<>(item);
        Object kindValue = request.remove("kind");
        ResourceKind kind = kindValue instanceof String name ? KINDS.get(name) : null;
        if (kind == null) {
            List<String> known = new ArrayList<>(KINDS.keySet());
            known.add(PolicyApply.KIND);
            throw ApiException.badRequest(at + ".kind: " + (kindValue == null ? "is required" : "'" + kindValue
                    + "' is not one of " + known));
        }
        String kindName = kindName(kind);
        String mesh = kind == ResourceKind.MESH ? text(at, kindName, request, "meshName", false)
                : text(at, kindName, request, "meshName", true);
        String parent = kind.parent() == null ? "" : text(at, kindName, request, kind.parent().arnSegment() + "Name", true);
        Long version = version(at, kindName, request.remove("version"));
        if (request.containsKey("clientToken")) {
            throw ApiException.badRequest(at + " (" + kindName + "): clientToken: apply takes no client token;"
                    + " an apply is safe to repeat as it is");
        }
        boolean tagsGiven = request.get("tags") != null;
        Record decoded;
        try {
            decoded = RequestDecoder.decode(AppMeshJson.mapper().writeValueAsBytes(request), REQUESTS.get(kind));
        } catch (ApiException e) {
            Object name = request.get(kind.arnSegment() + "Name");
            String what = !(name instanceof String n) || n.isEmpty() ? kindName : kind == ResourceKind.MESH
                    ? ResourceId.mesh(n).describe() : new ResourceId(kind, mesh, parent, n).describe();
            throw new ApiException(e.code(), at + " (" + what + "): " + e.getMessage());
        }
        Record spec;
        List<TagRef> tags;
        String name;
        if (decoded instanceof CreateMeshRequest r) {
            name = r.meshName();
            mesh = name;
            spec = ResourceService.meshSpecWithDefaults(r.spec());
            tags = r.tags();
        } else if (decoded instanceof CreateVirtualNodeRequest r) {
            name = r.virtualNodeName();
            spec = r.spec();
            tags = r.tags();
        } else if (decoded instanceof CreateVirtualServiceRequest r) {
            name = r.virtualServiceName();
            spec = r.spec();
            tags = r.tags();
        } else if (decoded instanceof CreateVirtualRouterRequest r) {
            name = r.virtualRouterName();
            spec = r.spec();
            tags = r.tags();
        } else if (decoded instanceof CreateRouteRequest r) {
            name = r.routeName();
            spec = r.spec();
            tags = r.tags();
        } else if (decoded instanceof CreateVirtualGatewayRequest r) {
            name = r.virtualGatewayName();
            spec = r.spec();
            tags = r.tags();
        } else {
            CreateGatewayRouteRequest r = (CreateGatewayRouteRequest) decoded;
            name = r.gatewayRouteName();
            spec = r.spec();
            tags = r.tags();
        }
        ResourceId id = kind == ResourceKind.MESH ? ResourceId.mesh(name) : new ResourceId(kind, mesh, parent, name);
        return new DesiredResource(index, at, id, spec, decoded, tagsGiven ? tags : null, version);
    }

    /** A member naming the resource's mesh or parent, taken out of the request (or only read, when it stays in it). */
    private static String text(String at, String kindName, Map<String, Object> request, String member, boolean remove) {
        Object value = remove ? request.remove(member) : request.get(member);
        if (value instanceof String s) {
            return s;
        }
        if (value == null && !remove) {
            return null;
        }
        throw ApiException.badRequest(at + " (" + kindName + "): " + member + ": " + (value == null ? "is required"
                : "expected a string"));
    }

    private static Long version(String at, String kindName, Object value) {
        if (value == null) {
            return null;
        }
        if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 1) {
            return ((Number) value).longValue();
        }
        throw ApiException.badRequest(at + " (" + kindName + "): version: expected a resource version, an integer"
                + " from 1, got " + value);
    }
}
