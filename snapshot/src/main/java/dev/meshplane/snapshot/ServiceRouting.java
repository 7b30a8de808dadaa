package dev.meshplane.snapshot;

import dev.meshplane.api.model.GrpcRetryPolicy;
import dev.meshplane.api.model.GrpcRoute;
import dev.meshplane.api.model.GrpcTimeout;
import dev.meshplane.api.model.HttpRetryPolicy;
import dev.meshplane.api.model.HttpRoute;
import dev.meshplane.api.model.HttpTimeout;
import dev.meshplane.api.model.Listener;
import dev.meshplane.api.model.PortProtocol;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.TcpRoute;
import dev.meshplane.api.model.TcpTimeout;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualRouterListener;
import dev.meshplane.api.model.VirtualRouterSpec;
import dev.meshplane.api.model.VirtualServiceSpec;
import dev.meshplane.api.model.WeightedTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resolves a virtual service into what a caller needs, independent of the data plane: for each
 * port the service is reachable on, its protocol and its routes in evaluation order, each with
 * weighted targets already resolved to a virtual node, port and protocol.
 */
final class ServiceRouting {

    /** A port of a virtual service and the routes that serve it. */
    record ServicePort(int port, PortProtocol protocol, List<RouteRule> routes) {
    }

    /**
     * One route. {@code match} is an {@code HttpRouteMatch}, {@code GrpcRouteMatch} or null (match
     * everything); {@code retry} and {@code timeout} are the route's own App Mesh objects, or null.
     */
    record RouteRule(String name, Object match, List<Target> targets, Object retry, Object timeout) {
    }

    /** A weighted destination: a virtual node's listener. */
    record Target(String node, int port, PortProtocol protocol, int weight) {
    }

    private ServiceRouting() {
    }

    /** The ports of a virtual service; empty when it has no provider or the provider has no listener. */
    static List<ServicePort> resolve(MeshView view, String virtualService) {
        VirtualServiceSpec spec = view.virtualServices().get(virtualService);
        if (spec == null || spec.provider() == null) {
            return List.of();
        }
        if (spec.provider().virtualNode() != null) {
            return nodeProvider(view, spec.provider().virtualNode().virtualNodeName());
        }
        return routerProvider(view, spec.provider().virtualRouter().virtualRouterName());
    }

    private static List<ServicePort> nodeProvider(MeshView view, String node) {
        VirtualNodeSpec spec = view.virtualNodes().get(node);
        if (spec == null || spec.listeners() == null) {
            return List.of();
        }
        List<ServicePort> ports = new ArrayList<>();
        for (Listener listener : spec.listeners()) {
            int port = listener.portMapping().port();
            PortProtocol protocol = listener.portMapping().protocol();
            Target target = new Target(node, port, protocol, 1);
            ports.add(new ServicePort(port, protocol, List.of(new RouteRule("default", null, List.of(target), null, null))));
        }
        return ports;
    }

    /** A virtual router's ports, each with its routes in evaluation order; empty for an unknown router or one without listeners. */
    static List<ServicePort> routerProvider(MeshView view, String router) {
        VirtualRouterSpec spec = view.virtualRouters().get(router);
        if (spec == null || spec.listeners() == null) {
            return List.of();
        }
        List<Map.Entry<String, RouteSpec>> ordered = RouteOrder.routes(view.routesOf(router));
        List<ServicePort> ports = new ArrayList<>();
        for (VirtualRouterListener listener : spec.listeners()) {
            int port = listener.portMapping().port();
            PortProtocol protocol = listener.portMapping().protocol();
            List<RouteRule> rules = new ArrayList<>();
            for (Map.Entry<String, RouteSpec> entry : ordered) {
                RouteRule rule = rule(view, entry.getKey(), entry.getValue(), port, protocol);
                if (rule != null) {
                    rules.add(rule);
                }
            }
            ports.add(new ServicePort(port, protocol, rules));
        }
        return ports;
    }

    /** The route as it applies to one router listener, or null when it does not apply there. */
    private static RouteRule rule(MeshView view, String name, RouteSpec spec, int port, PortProtocol protocol) {
        switch (protocol) {
            case HTTP, HTTP2 -> {
                HttpRoute route = protocol == PortProtocol.HTTP ? spec.httpRoute() : spec.http2Route();
                if (route == null || !portMatches(route.match().port(), port)) {
                    return null;
                }
                HttpRetryPolicy retry = route.retryPolicy();
                HttpTimeout timeout = route.timeout();
                return new RouteRule(name, route.match(), targets(view, route.action().weightedTargets(), protocol),
                        retry, timeout);
            }
            case GRPC -> {
                GrpcRoute route = spec.grpcRoute();
                if (route == null || !portMatches(route.match().port(), port)) {
                    return null;
                }
                GrpcRetryPolicy retry = route.retryPolicy();
                GrpcTimeout timeout = route.timeout();
                return new RouteRule(name, route.match(), targets(view, route.action().weightedTargets(), protocol),
                        retry, timeout);
            }
            default -> {
                TcpRoute route = spec.tcpRoute();
                if (route == null || (route.match() != null && !portMatches(route.match().port(), port))) {
                    return null;
                }
                TcpTimeout timeout = route.timeout();
                return new RouteRule(name, null, targets(view, route.action().weightedTargets(), protocol), null,
                        timeout);
            }
        }
    }

    private static boolean portMatches(Integer matchPort, int port) {
        return matchPort == null || matchPort == port;
    }

    private static List<Target> targets(MeshView view, List<WeightedTarget> weighted, PortProtocol routerProtocol) {
        List<Target> targets = new ArrayList<>();
        for (WeightedTarget target : weighted) {
            Listener listener = listenerOf(view.virtualNodes().get(target.virtualNode()), target.port(), routerProtocol);
            int port = target.port() != null ? target.port()
                    : listener != null ? listener.portMapping().port() : 0;
            PortProtocol protocol = listener != null ? listener.portMapping().protocol() : routerProtocol;
            if (port > 0) {
                targets.add(new Target(target.virtualNode(), port, protocol, target.weight()));
            }
        }
        return targets;
    }

    /** The target node's listener: the one on the given port, else the first of the router's protocol, else the first. */
    static Listener listenerOf(VirtualNodeSpec node, Integer port, PortProtocol protocol) {
        if (node == null || node.listeners() == null || node.listeners().isEmpty()) {
            return null;
        }
        for (Listener listener : node.listeners()) {
            if (port != null && listener.portMapping().port().equals(port)) {
                return listener;
            }
        }
        if (port != null) {
            return null;
        }
        return node.listeners().stream().filter(l -> l.portMapping().protocol() == protocol).findFirst()
                .orElse(node.listeners().get(0));
    }
}
