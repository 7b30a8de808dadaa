package dev.meshplane.snapshot;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Envoy resources one proxy is to receive, by xDS type, and {@code notes}: what translation left out of them
 * on purpose, or gave another shape than Envoy's, and why (shown in {@code /v1/proxies}), empty when nothing was.
 */
public record ProxyResources(
        List<Cluster> clusters,
        List<ClusterLoadAssignment> endpoints,
        List<Listener> listeners,
        List<RouteConfiguration> routes,
        List<String> notes) {

    public ProxyResources {
        clusters = List.copyOf(clusters);
        endpoints = List.copyOf(endpoints);
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
        notes = List.copyOf(notes);
    }

    /** Resources with nothing left out. */
    public ProxyResources(List<Cluster> clusters, List<ClusterLoadAssignment> endpoints, List<Listener> listeners,
            List<RouteConfiguration> routes) {
        this(clusters, endpoints, listeners, routes, List.of());
    }

    /** These resources with {@code more} notes after their own; this instance itself when there are none. */
    public ProxyResources withNotes(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(notes);
        all.addAll(more);
        return new ProxyResources(clusters, endpoints, listeners, routes, all);
    }

    public static ProxyResources empty() {
        return new ProxyResources(List.of(), List.of(), List.of(), List.of());
    }
}
