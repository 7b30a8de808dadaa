package dev.meshplane.snapshot;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;

/** The Envoy resources one proxy is to receive, by xDS type. */
public record ProxyResources(
        List<Cluster> clusters,
        List<ClusterLoadAssignment> endpoints,
        List<Listener> listeners,
        List<RouteConfiguration> routes) {

    public ProxyResources {
        clusters = List.copyOf(clusters);
        endpoints = List.copyOf(endpoints);
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
    }

    public static ProxyResources empty() {
        return new ProxyResources(List.of(), List.of(), List.of(), List.of());
    }
}
