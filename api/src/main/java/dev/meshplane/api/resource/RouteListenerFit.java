package dev.meshplane.api.resource;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.model.PortProtocol;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualRouterListener;
import dev.meshplane.api.model.VirtualRouterSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether a route is served by one of its virtual router's listeners. The translator
 * (snapshot's {@code ServiceRouting.rule}) serves an httpRoute only on http listeners, an http2Route
 * only on http2 listeners, a grpcRoute only on grpc listeners and a tcpRoute only on tcp listeners, and
 * of those only the listener whose port equals {@code match.port} when it is set; any other route appears
 * in no route configuration. App Mesh refuses such a route, so the API does too (issue 12: nothing dropped
 * silently). Keep the two in step.
 */
public final class RouteListenerFit {

    private RouteListenerFit() {
    }

    /**
     * Checks that {@code route} is served by a listener of {@code routerName}.
     *
     * @param routerName the route's virtual router, for the message
     * @param router     that router's spec
     * @param route      the route's spec
     * @param member     prefix of the member named in the message: {@code "spec"} for the route being written
     * @throws ApiException BadRequestException naming {@code <member>.<kind>} when the router has no listener of the
     *                      route's protocol, or {@code <member>.<kind>.match.port} when none of those is on that port
     */
    public static void check(String routerName, VirtualRouterSpec router, RouteSpec route, String member) {
        String problem = problem(routerName, router, route, member);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
    }

    /**
     * The reason {@code route} is served by none of {@code router}'s listeners, or null when one serves it.
     * The message starts with the member at fault ({@code <member>.<kind>} or {@code <member>.<kind>.match.port}).
     */
    public static String problem(String routerName, VirtualRouterSpec router, RouteSpec route, String member) {
        String kind;
        PortProtocol protocol;
        Integer port;
        if (route.httpRoute() != null) {
            kind = "httpRoute";
            protocol = PortProtocol.HTTP;
            port = route.httpRoute().match() == null ? null : route.httpRoute().match().port();
        } else if (route.http2Route() != null) {
            kind = "http2Route";
            protocol = PortProtocol.HTTP2;
            port = route.http2Route().match() == null ? null : route.http2Route().match().port();
        } else if (route.grpcRoute() != null) {
            kind = "grpcRoute";
            protocol = PortProtocol.GRPC;
            port = route.grpcRoute().match() == null ? null : route.grpcRoute().match().port();
        } else if (route.tcpRoute() != null) {
            kind = "tcpRoute";
            protocol = PortProtocol.TCP;
            port = route.tcpRoute().match() == null ? null : route.tcpRoute().match().port();
        } else {
            return null;
        }
        List<VirtualRouterListener> listeners = router.listeners() == null ? List.of() : router.listeners();
        List<Integer> ofProtocol = listeners.stream().filter(l -> l.portMapping().protocol() == protocol)
                .map(l -> l.portMapping().port()).toList();
        if (ofProtocol.isEmpty()) {
            return member + "." + kind + ": virtual router '" + routerName + "' has no " + protocol.wireValue()
                    + " listener (its listeners: " + listeners.stream()
                            .map(l -> l.portMapping().protocol().wireValue() + " " + l.portMapping().port())
                            .collect(Collectors.joining(", ")) + ")";
        }
        if (port != null && !ofProtocol.contains(port)) {
            return member + "." + kind + ".match.port: port " + port + " is not a listener port of virtual router '"
                    + routerName + "' (its " + protocol.wireValue()
                    + " listeners: " + ofProtocol.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
        }
        return null;
    }
}
