package dev.meshplane.api.importing;

import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.MeshSpec;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualGatewaySpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualRouterSpec;
import dev.meshplane.api.model.VirtualServiceSpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of resource an apply document holds, with the member naming each (as the Create* request names
 * it), the member naming its parent for routes and gateway routes, and its spec's record. Declared in the
 * order in which an apply document lists them.
 */
public enum ResourceKind {
    MESH("Mesh", "meshName", null, MeshSpec.class),
    VIRTUAL_NODE("VirtualNode", "virtualNodeName", null, VirtualNodeSpec.class),
    VIRTUAL_ROUTER("VirtualRouter", "virtualRouterName", null, VirtualRouterSpec.class),
    ROUTE("Route", "routeName", "virtualRouterName", RouteSpec.class),
    VIRTUAL_SERVICE("VirtualService", "virtualServiceName", null, VirtualServiceSpec.class),
    VIRTUAL_GATEWAY("VirtualGateway", "virtualGatewayName", null, VirtualGatewaySpec.class),
    GATEWAY_ROUTE("GatewayRoute", "gatewayRouteName", "virtualGatewayName", GatewayRouteSpec.class);

    private final String kind;
    private final String nameMember;
    private final String parentMember;
    private final Class<?> specType;

    ResourceKind(String kind, String nameMember, String parentMember, Class<?> specType) {
        this.kind = kind;
        this.nameMember = nameMember;
        this.parentMember = parentMember;
        this.specType = specType;
    }

    /** The kind as an apply document writes it, e.g. {@code VirtualNode}. */
    public String kind() {
        return kind;
    }

    /** The member holding the resource's own name, e.g. {@code virtualNodeName}. */
    public String nameMember() {
        return nameMember;
    }

    /** The member naming the parent router or gateway, or null. */
    public String parentMember() {
        return parentMember;
    }

    /** The spec's record type, whose components are the spec's members. */
    public Class<?> specType() {
        return specType;
    }

    /** The kind written {@code name}, if there is one. */
    public static Optional<ResourceKind> of(String name) {
        return Arrays.stream(values()).filter(k -> k.kind.equals(name)).findFirst();
    }
}
