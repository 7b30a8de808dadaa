package dev.meshplane.snapshot;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Collects a proxy's resources by name, listed in name order for stable output. The same resource may
 * be added many times (every route to a target adds its cluster); two different resources under one
 * name are a translation bug that would silently send one's traffic with the other's settings, so
 * that throws {@link UnservableConfigurationException} instead of keeping either.
 */
final class ResourceCollector {

    private final TreeMap<String, Cluster> clusters = new TreeMap<>();
    private final TreeMap<String, ClusterLoadAssignment> endpoints = new TreeMap<>();
    private final TreeMap<String, Listener> listeners = new TreeMap<>();
    private final TreeMap<String, RouteConfiguration> routes = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();

    void cluster(Cluster cluster, ClusterLoadAssignment assignment) {
        put(clusters, "cluster", cluster.getName(), cluster);
        if (assignment != null) {
            put(endpoints, "endpoints", assignment.getClusterName(), assignment);
        }
    }

    void listener(Listener listener) {
        put(listeners, "listener", listener.getName(), listener);
    }

    void route(RouteConfiguration route) {
        put(routes, "route configuration", route.getName(), route);
    }

    /** Something translation leaves out or that can never take effect, said in {@code /v1/proxies} (translationNotes). */
    void note(String note) {
        notes.add(note);
    }

    private static <T extends Message> void put(TreeMap<String, T> resources, String kind, String name, T resource) {
        T held = resources.putIfAbsent(name, resource);
        if (held != null && !held.equals(resource)) {
            throw new UnservableConfigurationException("two different " + kind + "s are named '" + name
                    + "'; neither is sent, since keeping one would apply its settings to the other's traffic");
        }
    }

    ProxyResources build() {
        return new ProxyResources(new ArrayList<>(clusters.values()), new ArrayList<>(endpoints.values()),
                new ArrayList<>(listeners.values()), new ArrayList<>(routes.values()), notes);
    }
}
