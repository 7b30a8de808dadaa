package dev.meshplane.snapshot;

import dev.meshplane.snapshot.ServiceRouting.Target;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Clusters towards one target that two backends reach with different TLS (one client policy says
 * STRICT TLS, another none, or other certificates): each gets a name of its own,
 * {@code <App Mesh name>_tls_<8 hex digits of the TLS settings' hash>} or {@code <App Mesh name>_plaintext},
 * so that no backend's traffic leaves with another backend's TLS. A target reached one way keeps App
 * Mesh's name, which dashboards key on. Renamed EDS clusters keep their endpoints under the App Mesh
 * name ({@code eds_cluster_config.service_name}).
 */
final class TlsVariants {

    private TlsVariants() {
    }

    /** A backend virtual service reaching a target, with the TLS its caller uses towards it, or null for none. */
    record Reach(String service, Target target, TransportSocket tls) {
    }

    /** For each backend service, the clusters it must use under another name: App Mesh name to variant name. */
    static Map<String, Map<String, String>> names(String mesh, List<Reach> reaches) {
        Map<String, Set<Optional<TransportSocket>>> ways = new HashMap<>();
        for (Reach reach : reaches) {
            ways.computeIfAbsent(RouteTranslator.cluster(mesh, reach.target()), k -> new HashSet<>())
                    .add(Optional.ofNullable(reach.tls()));
        }
        Map<String, Map<String, String>> renamed = new HashMap<>();
        for (Reach reach : reaches) {
            String name = RouteTranslator.cluster(mesh, reach.target());
            if (ways.get(name).size() > 1) {
                renamed.computeIfAbsent(reach.service(), k -> new HashMap<>()).put(name, name + "_" + tag(reach.tls()));
            }
        }
        return renamed;
    }

    private static String tag(TransportSocket tls) {
        if (tls == null) {
            return "plaintext";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tls.toByteArray());
            return "tls_" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    static Cluster renamed(Cluster cluster, String name) {
        Cluster.Builder renamed = cluster.toBuilder().setName(name);
        if (cluster.getType() == Cluster.DiscoveryType.EDS) {
            renamed.getEdsClusterConfigBuilder().setServiceName(cluster.getName());
        }
        return renamed.build();
    }

    /** The virtual host with its routes sending to the renamed clusters; the same instance when none is. */
    static VirtualHost renamed(VirtualHost host, Map<String, String> names) {
        if (names.isEmpty()) {
            return host;
        }
        VirtualHost.Builder renamed = host.toBuilder().clearRoutes();
        host.getRoutesList().forEach(route -> renamed.addRoutes(renamed(route, names)));
        return renamed.build();
    }

    /** The route sending to the renamed clusters; the same instance when it sends to none of them. */
    static Route renamed(Route route, Map<String, String> names) {
        if (names.isEmpty() || !route.hasRoute()) {
            return route;
        }
        Route.Builder builder = route.toBuilder();
        var action = builder.getRouteBuilder();
        if (action.hasCluster()) {
            action.setCluster(names.getOrDefault(action.getCluster(), action.getCluster()));
        }
        if (action.hasWeightedClusters()) {
            for (WeightedCluster.ClusterWeight.Builder weight : action.getWeightedClustersBuilder().getClustersBuilderList()) {
                weight.setName(names.getOrDefault(weight.getName(), weight.getName()));
            }
        }
        return builder.build();
    }
}
