package dev.meshplane.controlplane.traffic;

import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.GatewayRouteTarget;
import dev.meshplane.api.model.Listener;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualServiceSpec;
import dev.meshplane.api.model.WeightedTarget;
import dev.meshplane.snapshot.MeshView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which virtual service a reported edge went through. A load report names the caller and the callee's
 * listener ({@code cds_egress_<mesh>_<node>_<protocol>_<port>}), not the virtual service the caller asked
 * for; the configured routing tells it when exactly one of the caller's virtual services can send there.
 */
public final class VirtualServiceInference {

    private VirtualServiceInference() {
    }

    /**
     * The virtual service through which {@code source} reaches {@code destinationNode} on {@code port}: among the
     * caller's virtual services (a virtual node's backends, a gateway's gateway route targets), the only one whose
     * provider (the node itself, or a route of its router with a non-zero weighted target on that node and port)
     * leads there.
     *
     * @param sourceKind {@code virtualNode} or {@code virtualGateway}, as the traffic API names callers
     * @return the virtual service's name, or null when none or more than one can lead there (or the mesh is unknown)
     */
    public static String via(MeshView view, String sourceKind, String source, String destinationNode, int port) {
        if (view == null) {
            return null;
        }
        List<String> reaching = callable(view, sourceKind, source).stream()
                .filter(service -> reaches(view, service, destinationNode, port)).toList();
        return reaching.size() == 1 ? reaching.get(0) : null;
    }

    /** The virtual services a caller is configured to call, in configuration order. */
    static Set<String> callable(MeshView view, String sourceKind, String source) {
        Set<String> services = new LinkedHashSet<>();
        if (sourceKind.equals("virtualNode")) {
            VirtualNodeSpec node = view.virtualNodes().get(source);
            if (node != null && node.backends() != null) {
                node.backends().stream().filter(b -> b.virtualService() != null)
                        .forEach(b -> services.add(b.virtualService().virtualServiceName()));
            }
        } else if (sourceKind.equals("virtualGateway")) {
            view.gatewayRoutes().getOrDefault(source, Map.of()).values().stream().map(VirtualServiceInference::target)
                    .filter(Objects::nonNull).forEach(t -> services.add(t.virtualService().virtualServiceName()));
        }
        return services;
    }

    /** The target of a gateway route, whichever protocol it is for. */
    public static GatewayRouteTarget target(GatewayRouteSpec route) {
        if (route.httpRoute() != null) {
            return route.httpRoute().action().target();
        }
        if (route.http2Route() != null) {
            return route.http2Route().action().target();
        }
        return route.grpcRoute() == null ? null : route.grpcRoute().action().target();
    }

    /** The weighted targets of a route, whichever protocol it is for. */
    public static List<WeightedTarget> targets(RouteSpec route) {
        return Stream.of(route.httpRoute() == null ? null : route.httpRoute().action().weightedTargets(),
                route.http2Route() == null ? null : route.http2Route().action().weightedTargets(),
                route.grpcRoute() == null ? null : route.grpcRoute().action().weightedTargets(),
                route.tcpRoute() == null ? null : route.tcpRoute().action().weightedTargets())
                .filter(Objects::nonNull).findFirst().orElse(List.of());
    }

    /** The port a weighted target sends to: its own, or the node's only listener's when it names none (else null). */
    public static Integer targetPort(MeshView view, WeightedTarget target) {
        if (target.port() != null) {
            return target.port();
        }
        List<Integer> ports = listenerPorts(view, target.virtualNode());
        return ports.size() == 1 ? ports.get(0) : null;
    }

    private static List<Integer> listenerPorts(MeshView view, String node) {
        VirtualNodeSpec spec = view.virtualNodes().get(node);
        List<Integer> ports = new ArrayList<>();
        if (spec != null && spec.listeners() != null) {
            spec.listeners().stream().map(Listener::portMapping).forEach(p -> ports.add(p.port()));
        }
        return ports;
    }

    private static boolean reaches(MeshView view, String service, String destinationNode, int port) {
        VirtualServiceSpec spec = view.virtualServices().get(service);
        if (spec == null || spec.provider() == null) {
            return false;
        }
        if (spec.provider().virtualNode() != null) {
            return spec.provider().virtualNode().virtualNodeName().equals(destinationNode)
                    && listenerPorts(view, destinationNode).contains(port);
        }
        String router = spec.provider().virtualRouter().virtualRouterName();
        // a target of weight 0 is sent nothing, so it cannot explain traffic
        return view.routesOf(router).values().stream().flatMap(route -> targets(route).stream())
                .anyMatch(t -> t.virtualNode().equals(destinationNode) && t.weight() > 0
                        && Objects.equals(targetPort(view, t), port));
    }
}
