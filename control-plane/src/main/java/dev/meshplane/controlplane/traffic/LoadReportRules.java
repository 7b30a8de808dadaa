package dev.meshplane.controlplane.traffic;

import com.google.common.math.LongMath;
import dev.meshplane.api.model.Listener;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.controlplane.traffic.LoadReportCounters.Reason;
import dev.meshplane.snapshot.MeshView;
import dev.meshplane.snapshot.Names;
import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterStats;
import io.envoyproxy.envoy.config.endpoint.v3.UpstreamLocalityStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one cluster's part of a load report (envoy.config.endpoint.v3.ClusterStats, as Envoy's
 * {@code load_stats_reporter.cc} and gRPC's LRS clients fill it) says about an edge of the mesh, or why
 * it is not believed. The counts of a locality are since the previous report: issued
 * ({@code total_issued_requests}), finished well or badly ({@code total_successful_requests},
 * {@code total_error_requests}) and a gauge of those in progress ({@code total_requests_in_progress}).
 * One stream's reports are checked against each other: requests cannot finish that were neither
 * issued since the last report nor then in progress.
 */
final class LoadReportRules {

    /** The cluster of Envoy bootstraps that leads to Meshplane itself (BootstrapController): its streams are no edge. */
    static final String XDS_CLUSTER = "meshplane-xds";

    /** The callee listener and the counts for it summed over the report's localities. */
    record EdgeLoad(String destinationNode, int destinationPort, long issued, long successful, long errors, long inProgress) {

        /** Both loads towards this listener, each count capped at {@code Long.MAX_VALUE} rather than wrapping to negative. */
        EdgeLoad plus(EdgeLoad other) {
            return new EdgeLoad(destinationNode, destinationPort, LongMath.saturatedAdd(issued, other.issued),
                    LongMath.saturatedAdd(successful, other.successful), LongMath.saturatedAdd(errors, other.errors),
                    LongMath.saturatedAdd(inProgress, other.inProgress));
        }
    }

    /** One cluster's verdict: a load to store, a reason to ignore it, or neither (nothing to say). */
    record Verdict(EdgeLoad load, Reason ignored) {
        static final Verdict NOTHING = new Verdict(null, null);
    }

    /** What one stream remembers between its reports: requests in progress per cluster and locality. */
    static final class StreamState {
        /** Requests in progress at the previous report per cluster and locality, those above zero only. */
        private Map<String, Long> inProgress = new HashMap<>();
        private Map<String, Long> next = new HashMap<>();
        private boolean reported;

        /** Call once a whole report is read: its gauges become the previous ones. */
        void endReport() {
            inProgress = next;
            next = new HashMap<>();
            reported = true;
        }
    }

    private final long maxRequestsPerSecond;

    LoadReportRules(long maxRequestsPerSecond) {
        this.maxRequestsPerSecond = maxRequestsPerSecond;
    }

    /**
     * @param view           the caller's mesh
     * @param callerClusters the clusters this replica sends the caller, or null when it does not serve it
     * @param stats          one cluster's part of a report
     * @param state          the stream's memory of its previous report
     * @return the cluster's load, summed over its localities, whose rate {@link #perEdge} checks with the report's others
     */
    Verdict judge(MeshView view, Set<String> callerClusters, ClusterStats stats, StreamState state) {
        if (stats.getUpstreamLocalityStatsCount() == 0) {
            return Verdict.NOTHING; // Envoy lists every cluster it has, with no locality when nothing happened
        }
        String cluster = stats.getClusterName();
        Edge edge = edge(view, callerClusters, cluster);
        if (edge.target() == null) {
            return new Verdict(null, edge.ignored());
        }
        long issued = 0;
        long successful = 0;
        long errors = 0;
        long inProgress = 0;
        Map<String, Long> seen = new HashMap<>();
        for (UpstreamLocalityStats locality : stats.getUpstreamLocalityStatsList()) {
            long i = locality.getTotalIssuedRequests();
            long s = locality.getTotalSuccessfulRequests();
            long e = locality.getTotalErrorRequests();
            long p = locality.getTotalRequestsInProgress();
            if (i < 0 || s < 0 || e < 0 || p < 0) {
                return new Verdict(null, Reason.NEGATIVE);
            }
            // only localities with requests in progress are remembered (a forgotten one had none): kept for every
            // cluster, the keys were most of a stream's heap (2.8 of 4.6 KB per stream at 2,000 reporting proxies)
            String key = p > 0 || state.reported && !state.inProgress.isEmpty() ? key(cluster, locality) : null;
            // a stream's first report may finish requests issued before it began; later ones may not
            long before = key == null ? 0 : state.inProgress.getOrDefault(key, 0L);
            if (state.reported && LongMath.saturatedAdd(s, e) > LongMath.saturatedAdd(i, before)) {
                return new Verdict(null, Reason.INCONSISTENT);
            }
            if (p > 0) {
                seen.merge(key, p, LongMath::saturatedAdd);
            }
            issued = LongMath.saturatedAdd(issued, i);
            successful = LongMath.saturatedAdd(successful, s);
            errors = LongMath.saturatedAdd(errors, e);
            inProgress = LongMath.saturatedAdd(inProgress, p);
        }
        state.next.putAll(seen);
        return new Verdict(new EdgeLoad(edge.target().node(), edge.target().port(), issued, successful, errors, inProgress), null);
    }

    /**
     * A report's believed loads summed per callee listener, each sum checked against the limit: the limit is per proxy
     * and edge, so it holds whatever number of localities, repeated cluster entries or cluster names (TLS variants of one
     * target) the report splits an edge into. The time is the server's since the stream's previous report, at least 1 s
     * and at most {@code maxCoveredMillis}: a reporter's counts cover one reporting interval (Envoy's
     * {@code load_stats_reporter.cc} and gRPC's LRS clients reset them at each report), so a stream idle for an hour may
     * not report an hour's worth at once.
     *
     * @param loads            the loads {@link #judge} believed, in report order
     * @param elapsedMillis    server time since the stream's previous report (or its start)
     * @param maxCoveredMillis the longest time one report may cover (twice the reporting interval asked for)
     * @param ignored          called once per edge beyond the limit ({@link Reason#RATE})
     * @return the loads to store, one per callee listener
     */
    List<EdgeLoad> perEdge(List<EdgeLoad> loads, long elapsedMillis, long maxCoveredMillis, Consumer<Reason> ignored) {
        Map<String, EdgeLoad> sums = new LinkedHashMap<>();
        for (EdgeLoad load : loads) {
            sums.merge(load.destinationNode() + ":" + load.destinationPort(), load, EdgeLoad::plus);
        }
        double seconds = Math.max(Math.min(elapsedMillis, maxCoveredMillis), 1000) / 1000.0;
        List<EdgeLoad> believed = new ArrayList<>(sums.size());
        for (EdgeLoad sum : sums.values()) {
            if (sum.issued() / seconds > maxRequestsPerSecond || LongMath.saturatedAdd(sum.successful(), sum.errors()) / seconds
                    > maxRequestsPerSecond || sum.inProgress() > maxRequestsPerSecond) {
                ignored.accept(Reason.RATE);
            } else {
                believed.add(sum);
            }
        }
        return believed;
    }

    /** Where a caller's cluster leads: a listener of a virtual node of its mesh, or why not (null: no edge, nothing to count). */
    record Edge(Names.EgressTarget target, Reason ignored) {
        static final Edge NONE = new Edge(null, null);
    }

    /**
     * The callee listener of one of the caller's clusters, the same for load reports and Envoy's metrics: the
     * proxy's own clusters (ingress, passthrough, the bootstrap's xDS cluster) are no edge; a cluster that is
     * not {@code cds_egress_<mesh>_<node>_<protocol>_<port>} towards a listener of a virtual node of the mesh
     * (or, where this replica serves the caller, one it was not sent) is unknown.
     *
     * @param callerClusters the clusters this replica sends the caller, or null when it does not serve it
     */
    static Edge edge(MeshView view, Set<String> callerClusters, String cluster) {
        if (Names.isProxyLocal(cluster) || cluster.equals(XDS_CLUSTER)) {
            return Edge.NONE;
        }
        var target = Names.egressTarget(view.mesh(), cluster);
        if (target.isEmpty() || !listens(view.virtualNodes().get(target.get().node()), target.get().protocol(), target.get().port())
                || (callerClusters != null && !callerClusters.contains(cluster))) {
            return new Edge(null, Reason.UNKNOWN_CLUSTER);
        }
        return new Edge(target.get(), null);
    }

    private static String key(String cluster, UpstreamLocalityStats locality) {
        return cluster + "|" + locality.getLocality().getRegion() + "|" + locality.getLocality().getZone() + "|"
                + locality.getLocality().getSubZone() + "|" + locality.getPriority();
    }

    private static boolean listens(VirtualNodeSpec node, String protocol, int port) {
        if (node == null || node.listeners() == null) {
            return false;
        }
        for (Listener listener : node.listeners()) {
            if (listener.portMapping().port() == port && listener.portMapping().protocol().wireValue().equals(protocol)) {
                return true;
            }
        }
        return false;
    }

    /** The caller as a traffic source: its kind ({@code virtualNode} or {@code virtualGateway}), or null if the mesh lacks it. */
    static String sourceKind(ProxyId caller, MeshView view) {
        if (caller.kind() == ProxyId.Kind.GATEWAY) {
            return view.virtualGateways().containsKey(caller.name()) ? "virtualGateway" : null;
        }
        return view.virtualNodes().containsKey(caller.name()) ? "virtualNode" : null;
    }
}
