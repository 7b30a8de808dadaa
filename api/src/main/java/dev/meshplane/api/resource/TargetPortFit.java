package dev.meshplane.api.resource;

import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.GatewayRouteTarget;
import dev.meshplane.api.model.PortMapping;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.WeightedTarget;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Whether a route's weighted targets, and a gateway route's target, name a listener their target serves.
 *
 * <p>The translator resolves a weighted target to the target node's listener on its {@code port}
 * (snapshot's {@code ServiceRouting.targets}/{@code listenerOf}): a port the node does not listen on becomes
 * a cluster towards a port whose inbound listener has no filter chain, so every request is dropped there, and
 * without a port it takes the first listener of the route's protocol. A gateway route's target resolves to the
 * port of its virtual service's provider (a virtual node's or router's listener) equal to {@code target.port},
 * else the first one ({@code GatewayTranslator.routes}: {@code if (port == null) return result;}): a port the
 * provider does not listen on leaves the gateway route out of every route configuration. Both were accepted
 * and then dropped silently; App Mesh refuses them, and requires the port when the target node (or the target
 * service's provider) has several listeners (App Mesh user guide, routes.md: "If the selected virtual node has
 * multiple listeners, Target port is required"; gateway-routes.md: "Virtual service provider port is required
 * when the provider (router or node) of the selected virtual service has multiple listeners"). So the API
 * refuses both, naming the member. The port is required when the route is written; a node (or provider) update
 * giving a port-less target its second listener is accepted ({@link #unreachedAfterUpdate}), as App Mesh's Kubernetes
 * controller and CloudFormation write the node before the routes that gain their target port, and the target keeps
 * the listener the translator picks without one. A target without listeners (App Mesh lets a node exist without one) is not
 * checked: it receives nothing until it has one, as docs/xds.md says. Keep this in step with the translators.
 *
 * <p>A route's weighted target must also reach a listener of the route's own protocol (App Mesh user guide,
 * routes.md: "The protocol that you select must match the listener protocol that you selected for your virtual
 * router and the virtual node that you're routing traffic to"): the translator gives the target's cluster the
 * listener's protocol, so an httpRoute to a tcp listener reached the node's TCP proxy chain with none of the
 * route's retries or timeouts applying there, and one to a grpc or http2 listener was upgraded to HTTP/2 silently.
 */
public final class TargetPortFit {

    /**
     * The listeners a virtual service is reached on, through its provider.
     *
     * @param described the provider in words, for messages: {@code virtual node 'n'} or {@code virtual router 'r'}
     * @param listeners its listeners' port mappings
     */
    public record Provider(String described, List<PortMapping> listeners) {
    }

    private TargetPortFit() {
    }

    /**
     * Why one of a route's weighted targets names no listener of its virtual node, or null when each does.
     *
     * @param route the route
     * @param nodes the spec of a target node by name; null for a node not to check (the caller knows nothing new
     *              about it), which is skipped
     * @return the problem, starting with the member at fault
     *     ({@code spec.httpRoute.action.weightedTargets[0].port: ...}; {@code ...weightedTargets[0].virtualNode: ...}
     *     when the node's only listener is of another protocol than the route's), or null
     */
    public static String problem(RouteSpec route, Function<String, VirtualNodeSpec> nodes) {
        return problem(route, nodes, true);
    }

    /**
     * As {@link #problem(RouteSpec, Function)} for a route already stored, after an update of a target node: a missing
     * port is no problem here (see the class comment), a listener gone or of another protocol is.
     */
    public static String unreachedAfterUpdate(RouteSpec route, Function<String, VirtualNodeSpec> nodes) {
        return problem(route, nodes, false);
    }

    private static String problem(RouteSpec route, Function<String, VirtualNodeSpec> nodes, boolean portRequired) {
        String kind = route.httpRoute() != null ? "httpRoute" : route.http2Route() != null ? "http2Route"
                : route.grpcRoute() != null ? "grpcRoute" : route.tcpRoute() != null ? "tcpRoute" : null;
        if (kind == null) {
            return null;
        }
        List<WeightedTarget> targets = route.httpRoute() != null ? route.httpRoute().action().weightedTargets()
                : route.http2Route() != null ? route.http2Route().action().weightedTargets()
                : route.grpcRoute() != null ? route.grpcRoute().action().weightedTargets()
                : route.tcpRoute().action().weightedTargets();
        for (int i = 0; i < targets.size(); i++) {
            WeightedTarget target = targets.get(i);
            VirtualNodeSpec node = nodes.apply(target.virtualNode());
            if (node == null) {
                continue;
            }
            List<PortMapping> listeners = node.listeners() == null ? List.of()
                    : node.listeners().stream().map(l -> l.portMapping()).toList();
            String member = "spec." + kind + ".action.weightedTargets[" + i + "]";
            String problem = problem("virtual node '" + target.virtualNode() + "'", listeners, target.port(), portRequired);
            if (problem != null) {
                return member + ".port: " + problem;
            }
            String protocol = kind.substring(0, kind.length() - "Route".length());
            // without a port the translator takes the first listener of the route's protocol, else the first one
            PortMapping reached = target.port() != null
                    ? listeners.stream().filter(l -> l.port().equals(target.port())).findFirst().orElse(null)
                    : listeners.stream().filter(l -> l.protocol().wireValue().equals(protocol)).findFirst()
                            .orElse(listeners.isEmpty() ? null : listeners.get(0));
            if (reached != null && !reached.protocol().wireValue().equals(protocol)) {
                return member + (target.port() == null ? ".virtualNode" : ".port") + ": virtual node '"
                        + target.virtualNode() + "' listens on port " + reached.port() + " with protocol "
                        + reached.protocol().wireValue() + ", not " + protocol + " as this " + kind
                        + " needs: App Mesh requires a route's protocol to match its targets' listener";
            }
        }
        return null;
    }

    /**
     * Why a gateway route's target names no listener of its virtual service's provider, or reaches one that cannot
     * carry the route's protocol (see {@link #carries}), or null when it does.
     *
     * @param route    the gateway route
     * @param provider the listeners of its target service's provider; null when the service has no provider
     *                 (not checked: the gateway route waits for one)
     * @return the problem, starting with the member at fault ({@code spec.httpRoute.action.target.port: ...};
     *     {@code spec.grpcRoute.action.target: ...} when no port is given and the one listener reached cannot carry
     *     the route), or null
     */
    public static String problem(GatewayRouteSpec route, Provider provider) {
        return problem(route, provider, true);
    }

    /** As {@link #unreachedAfterUpdate(RouteSpec, Function)}, for a gateway route after its target's provider changed. */
    public static String unreachedAfterUpdate(GatewayRouteSpec route, Provider provider) {
        return problem(route, provider, false);
    }

    private static String problem(GatewayRouteSpec route, Provider provider, boolean portRequired) {
        String kind = route.httpRoute() != null ? "httpRoute" : route.http2Route() != null ? "http2Route"
                : route.grpcRoute() != null ? "grpcRoute" : null;
        if (kind == null || provider == null) {
            return null;
        }
        GatewayRouteTarget target = route.httpRoute() != null ? route.httpRoute().action().target()
                : route.http2Route() != null ? route.http2Route().action().target() : route.grpcRoute().action().target();
        String described = "virtual service '" + target.virtualService().virtualServiceName()
                + "' (through its provider " + provider.described() + ")";
        String problem = problem(described, provider.listeners(), target.port(), portRequired);
        if (problem != null) {
            return "spec." + kind + ".action.target.port: " + problem;
        }
        PortMapping reached = provider.listeners().stream()
                .filter(l -> target.port() == null || l.port().equals(target.port())).findFirst().orElse(null);
        String carried = reached == null ? null : carries(kind, reached.protocol().wireValue());
        return carried == null ? null : "spec." + kind + ".action." + (target.port() == null ? "target" : "target.port")
                + ": " + described + " listens on port " + reached.port() + " with protocol "
                + reached.protocol().wireValue() + ", " + carried;
    }

    /**
     * Why a gateway route of this kind cannot reach a listener of this protocol, or null when it can. App Mesh's
     * documentation states no rule here; these are Envoy's grounds. The gateway's cluster towards the listener speaks
     * HTTP/2 only for http2 and grpc listeners (snapshot's ClusterTranslator); without explicit HTTP/2 options
     * Envoy's upstream codec is HTTP/1.1 (source/extensions/upstreams/http/config.cc, ProtocolOptionsConfigImpl), and
     * gRPC needs HTTP/2 with trailers end to end (gRPC's doc/PROTOCOL-HTTP2.md: the status travels in trailers),
     * so a grpcRoute to an http listener fails every call with no error at load time. A tcp listener carries no HTTP
     * at all (the provider's sidecar gives it a tcp_proxy chain, none of the gateway route's HTTP matching, rewrites
     * or retries meaning anything past it). HTTP/1.1 and HTTP/2 requests convert either way in Envoy's router, so
     * an httpRoute or http2Route may reach http, http2 and grpc listeners.
     */
    private static String carries(String kind, String protocol) {
        if (protocol.equals("tcp")) {
            return "which carries no HTTP: a gateway " + kind + " needs an http, http2 or grpc listener (Envoy would"
                    + " send HTTP to a TCP proxy chain, none of the route's matching, rewrites or retries applying)";
        }
        if (kind.equals("grpcRoute") && protocol.equals("http")) {
            return "which Envoy reaches over HTTP/1.1: gRPC needs HTTP/2 and trailers, so every call would fail;"
                    + " target a grpc (or http2) listener";
        }
        return null;
    }

    private static String problem(String target, List<PortMapping> listeners, Integer port, boolean portRequired) {
        if (listeners.isEmpty()) {
            return null;
        }
        String described = listeners.stream().map(l -> l.protocol().wireValue() + " " + l.port())
                .collect(Collectors.joining(", "));
        if (port == null) {
            return listeners.size() == 1 || !portRequired ? null : "no port given, and " + target + " has several listeners ("
                    + described + "): App Mesh requires the target's port then";
        }
        return listeners.stream().anyMatch(l -> l.port().equals(port)) ? null
                : "port " + port + " is not a listener port of " + target + " (its listeners: " + described + ")";
    }
}
