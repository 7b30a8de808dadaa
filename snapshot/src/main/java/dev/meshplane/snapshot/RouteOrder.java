package dev.meshplane.snapshot;

import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.GrpcGatewayRouteMatch;
import dev.meshplane.api.model.GrpcRouteMatch;
import dev.meshplane.api.model.HttpGatewayRouteMatch;
import dev.meshplane.api.model.HttpPathMatch;
import dev.meshplane.api.model.HttpRouteMatch;
import dev.meshplane.api.model.RouteSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which Envoy and gRPC clients are given a router's routes, or a gateway's routes: both take the first
 * route that matches. By {@code priority} first, 0 the highest, routes without one after every route with one (App
 * Mesh's API model: "Routes are matched based on the specified value, where 0 is the highest priority"). Among
 * routes of equal priority, and among those without, the longest match first, as App Mesh's user guide says of
 * gateway routes ("a request is matched to the route with the longest prefix": a {@code /} route does not hide a
 * {@code /chapter} one), and as it does for routes: an exact path before a prefix of its length, a regex before the
 * catch-all {@code /}, then the route with more conditions (headers, query parameters, method, scheme, metadata)
 * first, so a header route is not hidden by the same prefix without one; last by name, for a stable order.
 */
final class RouteOrder {

    /** Routes without a priority come after all with one. */
    private static final int NO_PRIORITY = Integer.MAX_VALUE;

    /** A regex path: more specific than the catch-all {@code /} (2), less than any longer literal. */
    private static final int REGEX = 3;

    private RouteOrder() {
    }

    /** A router's routes (name to spec) in evaluation order. */
    static List<Map.Entry<String, RouteSpec>> routes(Map<String, RouteSpec> routes) {
        return routes.entrySet().stream().sorted(Comparator
                .<Map.Entry<String, RouteSpec>>comparingInt(e -> priority(e.getValue().priority()))
                .thenComparing(Comparator.<Map.Entry<String, RouteSpec>>comparingInt(e -> specificity(e.getValue())).reversed())
                .thenComparing(Comparator.<Map.Entry<String, RouteSpec>>comparingInt(e -> conditions(e.getValue())).reversed())
                .thenComparing(Map.Entry::getKey))
                .toList();
    }

    /** A gateway's routes' order: the same keys, for a gateway route. */
    static Comparator<GatewayRouteSpec> gatewayRoutes() {
        return Comparator.<GatewayRouteSpec>comparingInt(s -> priority(s.priority()))
                .thenComparing(Comparator.<GatewayRouteSpec>comparingInt(RouteOrder::specificity).reversed())
                .thenComparing(Comparator.<GatewayRouteSpec>comparingInt(RouteOrder::conditions).reversed());
    }

    private static int priority(Integer priority) {
        return priority == null ? NO_PRIORITY : priority;
    }

    private static int specificity(RouteSpec spec) {
        HttpRouteMatch http = spec.httpRoute() != null ? spec.httpRoute().match()
                : spec.http2Route() != null ? spec.http2Route().match() : null;
        if (http != null) {
            return path(http.prefix(), http.path());
        }
        if (spec.grpcRoute() != null && spec.grpcRoute().match() != null) {
            GrpcRouteMatch grpc = spec.grpcRoute().match();
            return grpc.serviceName() == null ? 2 : grpc.methodName() == null
                    ? path("/" + grpc.serviceName() + "/", null)
                    : path(null, new HttpPathMatch("/" + grpc.serviceName() + "/" + grpc.methodName(), null));
        }
        return 0;
    }

    private static int specificity(GatewayRouteSpec spec) {
        HttpGatewayRouteMatch http = spec.httpRoute() != null ? spec.httpRoute().match()
                : spec.http2Route() != null ? spec.http2Route().match() : null;
        if (http != null) {
            return path(http.prefix() == null && http.path() == null ? "/" : http.prefix(), http.path());
        }
        GrpcGatewayRouteMatch grpc = spec.grpcRoute() == null ? null : spec.grpcRoute().match();
        return grpc == null || grpc.serviceName() == null ? 2 : path("/" + grpc.serviceName() + "/", null);
    }

    /** Twice the literal's length, one more for an exact path, so it goes before a prefix of the same length. */
    private static int path(String prefix, HttpPathMatch path) {
        if (path != null) {
            return path.exact() != null ? 2 * path.exact().length() + 1 : REGEX;
        }
        return prefix == null ? 0 : 2 * prefix.length();
    }

    private static int conditions(RouteSpec spec) {
        HttpRouteMatch http = spec.httpRoute() != null ? spec.httpRoute().match()
                : spec.http2Route() != null ? spec.http2Route().match() : null;
        if (http != null) {
            return size(http.headers()) + size(http.queryParameters()) + (http.method() == null ? 0 : 1)
                    + (http.scheme() == null ? 0 : 1);
        }
        return spec.grpcRoute() == null || spec.grpcRoute().match() == null ? 0 : size(spec.grpcRoute().match().metadata());
    }

    private static int conditions(GatewayRouteSpec spec) {
        HttpGatewayRouteMatch http = spec.httpRoute() != null ? spec.httpRoute().match()
                : spec.http2Route() != null ? spec.http2Route().match() : null;
        if (http != null) {
            return size(http.headers()) + size(http.queryParameters()) + (http.method() == null ? 0 : 1);
        }
        return spec.grpcRoute() == null ? 0 : size(spec.grpcRoute().match().metadata());
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }
}
