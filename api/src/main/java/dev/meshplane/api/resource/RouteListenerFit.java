package dev.meshplane.api.resource;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.HttpRouteMatch;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualGatewaySpec;
import dev.meshplane.api.model.VirtualRouterSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether a route is served by one of its virtual router's listeners, or a gateway route by one of its virtual
 * gateway's. The translator (snapshot's {@code ServiceRouting.rule} and {@code GatewayTranslator.applicable})
 * serves an httpRoute only on http listeners, an http2Route only on http2 listeners, a grpcRoute only on grpc
 * listeners and a tcpRoute only on tcp listeners, and of those only the listener whose port equals
 * {@code match.port} when it is set; any other route appears in no route configuration. App Mesh refuses such a
 * route, so the API does too (issue 12: nothing dropped silently). Keep the three in step.
 *
 * <p>App Mesh also requires {@code match.port} whenever the router (or gateway) has several listeners, whatever
 * their protocols (App Mesh user guide, routes.md: "Port match is required if this virtual router has multiple
 * listeners"; gateway-routes.md: "Port match is required if this virtual gateway has multiple listeners"), so a
 * port-less route on such a parent is refused naming {@code spec.<kind>.match.port} when the route is written. A
 * parent update adding a second listener under port-less routes is accepted ({@link #unservedAfterUpdate}): App Mesh's
 * Kubernetes controller (pkg/virtualrouter/resource_manager.go, Reconcile: updateSDKVirtualRouter before
 * routesManager.update) and CloudFormation (a route depends on its router) write the router before the routes that
 * gain their port, so refusing it would leave that change stuck; meanwhile the route is served on every listener of
 * its protocol, as before, so nothing is dropped.
 */
public final class RouteListenerFit {

    /** The part of a route that decides which listeners serve it. */
    private record Kind(String member, String protocol, Integer port) {
    }

    /** A listener's protocol (wire value) and port. */
    private record Port(String protocol, int port) {
    }

    private RouteListenerFit() {
    }

    /**
     * Checks that {@code route} is served by a listener of the virtual router {@code routerName}.
     *
     * @throws ApiException BadRequestException naming {@code spec.<kind>} when the router has no listener of the
     *                      route's protocol, or {@code spec.<kind>.match.port} when none of those is on that port, or
     *                      when it is missing and the router has several listeners
     */
    public static void check(String routerName, VirtualRouterSpec router, RouteSpec route) {
        String problem = problem(routerName, router, route);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
    }

    /** As {@link #check(String, VirtualRouterSpec, RouteSpec)}, for a gateway route and its virtual gateway. */
    public static void check(String gatewayName, VirtualGatewaySpec gateway, GatewayRouteSpec route) {
        String problem = problem(gatewayName, gateway, route);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
    }

    /** Why no listener of the router serves {@code route} (starting with the member at fault), or null when one does. */
    public static String problem(String routerName, VirtualRouterSpec router, RouteSpec route) {
        return problem(routerName, router, route, true);
    }

    /**
     * As {@link #problem(String, VirtualRouterSpec, RouteSpec)} for a route already stored, after its router's update:
     * a missing {@code match.port} is no problem here (see the class comment), a listener gone is.
     */
    public static String unservedAfterUpdate(String routerName, VirtualRouterSpec router, RouteSpec route) {
        return problem(routerName, router, route, false);
    }

    private static String problem(String routerName, VirtualRouterSpec router, RouteSpec route, boolean portRequired) {
        Kind kind = route.httpRoute() != null ? http("httpRoute", "http", route.httpRoute().match())
                : route.http2Route() != null ? http("http2Route", "http2", route.http2Route().match())
                : route.grpcRoute() != null ? new Kind("grpcRoute", "grpc", route.grpcRoute().match() == null ? null
                        : route.grpcRoute().match().port())
                : route.tcpRoute() != null ? new Kind("tcpRoute", "tcp", route.tcpRoute().match() == null ? null
                        : route.tcpRoute().match().port())
                : null;
        List<Port> ports = router.listeners() == null ? List.of() : router.listeners().stream()
                .map(l -> new Port(l.portMapping().protocol().wireValue(), l.portMapping().port())).toList();
        return problem("virtual router '" + routerName + "'", ports, kind, portRequired);
    }

    /** Why no listener of the gateway serves {@code route} (starting with the member at fault), or null when one does. */
    public static String problem(String gatewayName, VirtualGatewaySpec gateway, GatewayRouteSpec route) {
        return problem(gatewayName, gateway, route, true);
    }

    /** As {@link #unservedAfterUpdate(String, VirtualRouterSpec, RouteSpec)}, for a gateway route after its gateway's update. */
    public static String unservedAfterUpdate(String gatewayName, VirtualGatewaySpec gateway, GatewayRouteSpec route) {
        return problem(gatewayName, gateway, route, false);
    }

    private static String problem(String gatewayName, VirtualGatewaySpec gateway, GatewayRouteSpec route,
            boolean portRequired) {
        Kind kind = route.httpRoute() != null ? new Kind("httpRoute", "http", route.httpRoute().match().port())
                : route.http2Route() != null ? new Kind("http2Route", "http2", route.http2Route().match().port())
                : route.grpcRoute() != null ? new Kind("grpcRoute", "grpc", route.grpcRoute().match().port())
                : null;
        List<Port> ports = gateway.listeners() == null ? List.of() : gateway.listeners().stream()
                .map(l -> new Port(l.portMapping().protocol().wireValue(), l.portMapping().port())).toList();
        return problem("virtual gateway '" + gatewayName + "'", ports, kind, portRequired);
    }

    private static Kind http(String member, String protocol, HttpRouteMatch match) {
        return new Kind(member, protocol, match == null ? null : match.port());
    }

    private static String problem(String parent, List<Port> listeners, Kind kind, boolean portRequired) {
        if (kind == null) {
            return null;
        }
        List<Integer> ofProtocol = listeners.stream().filter(l -> l.protocol().equals(kind.protocol()))
                .map(Port::port).toList();
        if (ofProtocol.isEmpty()) {
            return "spec." + kind.member() + ": " + parent + " has no " + kind.protocol() + " listener (its listeners: "
                    + listeners.stream().map(l -> l.protocol() + " " + l.port()).collect(Collectors.joining(", ")) + ")";
        }
        if (kind.port() != null && !ofProtocol.contains(kind.port())) {
            return "spec." + kind.member() + ".match.port: port " + kind.port() + " is not a listener port of " + parent
                    + " (its " + kind.protocol() + " listeners: "
                    + ofProtocol.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
        }
        if (portRequired && kind.port() == null && listeners.size() > 1) {
            return "spec." + kind.member() + ".match.port: no port given, and " + parent + " has several listeners ("
                    + listeners.stream().map(l -> l.protocol() + " " + l.port()).collect(Collectors.joining(", "))
                    + "): App Mesh requires the route's match.port then";
        }
        return null;
    }
}
