package dev.meshplane.api.resource;

import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.MeshSpec;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualGatewaySpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualRouterSpec;
import dev.meshplane.api.model.VirtualServiceSpec;

/** The seven App Mesh resource kinds, with how each is named in ARNs and messages. */
public enum ResourceKind {
    MESH("mesh", "mesh", "meshes", null, MeshSpec.class),
    VIRTUAL_SERVICE("virtualService", "virtual service", "virtual services", null, VirtualServiceSpec.class),
    VIRTUAL_NODE("virtualNode", "virtual node", "virtual nodes", null, VirtualNodeSpec.class),
    VIRTUAL_ROUTER("virtualRouter", "virtual router", "virtual routers", null, VirtualRouterSpec.class),
    ROUTE("route", "route", "routes", VIRTUAL_ROUTER, RouteSpec.class),
    VIRTUAL_GATEWAY("virtualGateway", "virtual gateway", "virtual gateways", null, VirtualGatewaySpec.class),
    GATEWAY_ROUTE("gatewayRoute", "gateway route", "gateway routes", VIRTUAL_GATEWAY, GatewayRouteSpec.class);

    private final String arnSegment;
    private final String displayName;
    private final String pluralName;
    private final ResourceKind parent;
    private final Class<? extends Record> specType;

    ResourceKind(String arnSegment, String displayName, String pluralName, ResourceKind parent, Class<? extends Record> specType) {
        this.arnSegment = arnSegment;
        this.displayName = displayName;
        this.pluralName = pluralName;
        this.parent = parent;
        this.specType = specType;
    }

    /** The word used for this kind inside an ARN, e.g. {@code virtualNode}. */
    public String arnSegment() {
        return arnSegment;
    }

    /** The kind in words, for messages. */
    public String displayName() {
        return displayName;
    }

    /** The kind in words for a count of several, for messages: "meshes", "virtual nodes" (quota messages say "15 meshes"). */
    public String pluralName() {
        return pluralName;
    }

    /** The kind that contains this one (router for routes, gateway for gateway routes), or null. */
    public ResourceKind parent() {
        return parent;
    }

    public Class<? extends Record> specType() {
        return specType;
    }

    static ResourceKind fromArnSegment(String segment) {
        for (ResourceKind kind : values()) {
            if (kind.arnSegment.equals(segment)) {
                return kind;
            }
        }
        return null;
    }
}
