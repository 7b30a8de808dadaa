package dev.meshplane.snapshot;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.TreeMap;

/** Collects a proxy's resources by name (the first of a name wins), listed in name order for stable output. */
final class ResourceCollector {

    private final TreeMap<String, Cluster> clusters = new TreeMap<>();
    private final TreeMap<String, ClusterLoadAssignment> endpoints = new TreeMap<>();
    private final TreeMap<String, Listener> listeners = new TreeMap<>();
    private final TreeMap<String, RouteConfiguration> routes = new TreeMap<>();

    void cluster(Cluster cluster, ClusterLoadAssignment assignment) {
        clusters.putIfAbsent(cluster.getName(), cluster);
        if (assignment != null) {
            endpoints.putIfAbsent(assignment.getClusterName(), assignment);
        }
    }

    void listener(Listener listener) {
        listeners.putIfAbsent(listener.getName(), listener);
    }

    void route(RouteConfiguration route) {
        routes.putIfAbsent(route.getName(), route);
    }

    ProxyResources build() {
        return new ProxyResources(new ArrayList<>(clusters.values()), new ArrayList<>(endpoints.values()),
                new ArrayList<>(listeners.values()), new ArrayList<>(routes.values()));
    }
}
