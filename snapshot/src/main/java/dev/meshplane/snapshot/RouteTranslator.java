package dev.meshplane.snapshot;

import com.google.protobuf.UInt32Value;
import dev.meshplane.snapshot.ServiceRouting.RouteRule;
import dev.meshplane.snapshot.ServiceRouting.Target;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.util.List;

/**
 * One App Mesh route (already resolved to targets) as one Envoy route. A route with no target to send to (every target
 * weighs 0, or is a virtual node without a listener) is a 503 {@code direct_response} for Envoy and, for proxyless gRPC
 * clients, a route to {@link UnavailableCluster}, so that only its calls fail (UNAVAILABLE).
 */
final class RouteTranslator {

    private RouteTranslator() {
    }

    static Route translate(String mesh, RouteRule rule, boolean proxyless) {
        Route route = envoyRoute(mesh, rule, proxyless);
        return proxyless ? GrpcClientForms.apply(route) : route;
    }

    private static Route envoyRoute(String mesh, RouteRule rule, boolean proxyless) {
        Route.Builder route = Route.newBuilder().setName(rule.name()).setMatch(RouteMatchTranslator.translate(rule.match()));
        List<Target> live = rule.targets().stream().filter(t -> t.weight() > 0).toList();
        if (live.isEmpty() && proxyless) {
            // gRPC clients refuse direct_response with the whole route configuration: calls on this route fail instead
            return route.setRoute(RouteAction.newBuilder().setCluster(UnavailableCluster.NAME)).build();
        }
        if (live.isEmpty()) {
            // every target weighs 0 or none exists: App Mesh answers 503 rather than guessing
            return route.setDirectResponse(DirectResponseAction.newBuilder().setStatus(503)).build();
        }
        RouteAction.Builder action = RouteAction.newBuilder();
        if (live.size() == 1) {
            action.setCluster(cluster(mesh, live.get(0)));
        } else {
            WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
            for (Target target : live) {
                weighted.addClusters(WeightedCluster.ClusterWeight.newBuilder()
                        .setName(cluster(mesh, target))
                        .setWeight(UInt32Value.of(target.weight())));
            }
            action.setWeightedClusters(weighted);
        }
        RetryPolicy retry = RetryPolicyTranslator.translate(rule.retry(), proxyless);
        if (retry != null) {
            action.setRetryPolicy(retry);
        }
        TimeoutTranslator.apply(rule.timeout(), proxyless, action);
        return route.setRoute(action).build();
    }

    static String cluster(String mesh, Target target) {
        return Names.egressCluster(mesh, target.node(), target.protocol().wireValue(), target.port());
    }
}
