package dev.meshplane.api.importing;

import dev.meshplane.api.resource.ResourceKind;
import java.util.Arrays;
import java.util.Optional;

/**
 * How an apply document writes each {@link ResourceKind}: its {@code kind} ({@code VirtualNode}), the member
 * naming the resource ({@code virtualNodeName}, as the Create* request names it) and, for routes and gateway
 * routes, the member naming the parent ({@code virtualRouterName}, {@code virtualGatewayName}).
 */
public final class ApplyKinds {

    private ApplyKinds() {
    }

    /** The kind as an apply document writes it, e.g. {@code VirtualNode}. */
    public static String name(ResourceKind kind) {
        return Character.toUpperCase(kind.arnSegment().charAt(0)) + kind.arnSegment().substring(1);
    }

    /** The member holding the resource's own name, e.g. {@code virtualNodeName}. */
    public static String nameMember(ResourceKind kind) {
        return kind.arnSegment() + "Name";
    }

    /** The member naming the parent router or gateway, or null. */
    public static String parentMember(ResourceKind kind) {
        return kind.parent() == null ? null : nameMember(kind.parent());
    }

    /** The kind an apply document writes as {@code name}, if there is one. */
    public static Optional<ResourceKind> of(String name) {
        return Arrays.stream(ResourceKind.values()).filter(k -> name(k).equals(name)).findFirst();
    }
}
