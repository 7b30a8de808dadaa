package dev.meshplane.controlplane.traffic;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meshplane.controlplane.xds.MeshViewLoader;
import dev.meshplane.persistence.TrafficStore;
import dev.meshplane.persistence.TrafficStore.EdgeTotals;
import dev.meshplane.snapshot.MeshView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/**
 * A mesh's traffic over a window, from the buckets every replica wrote: per edge (caller node or
 * gateway to callee node listener) and per virtual node (what it received and what it sent).
 */
@Service
public class TrafficReport {

    /** Why latency is null: LRS carries counts only. */
    static final String LATENCY_NOTE = "Latency is not known from load reports: gRPC clients report no latency over"
            + " LRS, and Envoy's latency comes with the metrics service, which Meshplane does not take yet.";

    /** The traffic of a mesh over a window. */
    public record MeshTraffic(String meshName, String window, long windowSeconds, Instant from, Instant to, String latencyNote,
            List<Edge> edges, List<NodeTraffic> virtualNodes) {
    }

    /** Who called: a virtual node (sidecar or gRPC client) or a virtual gateway. */
    public record Source(String kind, String name) {
    }

    /** A listener of a virtual node. */
    public record Destination(String virtualNode, int port) {
    }

    /**
     * One caller towards one callee listener, and the virtual service it went through when the configured routing
     * tells ({@link VirtualServiceInference}; null otherwise).
     */
    public record Edge(Source source, @JsonInclude(JsonInclude.Include.ALWAYS) String virtualService,
            Destination destination, Figures traffic) {
    }

    /** A virtual node's traffic: what it received (from every caller) and what it sent (to every callee). */
    public record NodeTraffic(String virtualNodeName, Figures inbound, Figures outbound) {
    }

    /**
     * Counts over the window and what they make: requests finished well ({@code successRate}) or badly
     * ({@code errorRate}) out of those that finished (null when none did), and requests in flight on average.
     */
    public record Figures(long requests, long successful, long errors, double requestsPerSecond, Double successRate,
            Double errorRate, double averageInFlight,
            @JsonInclude(JsonInclude.Include.ALWAYS) Double latencyP50Millis,
            @JsonInclude(JsonInclude.Include.ALWAYS) Double latencyP99Millis) {

        public static final Figures NONE = new Figures(0, 0, 0, 0, null, null, 0, null, null);

        static Figures of(long issued, long successful, long errors, long inFlightMillis, long windowMillis) {
            long finished = successful + errors;
            return new Figures(issued, successful, errors, issued * 1000.0 / windowMillis,
                    finished == 0 ? null : (double) successful / finished, finished == 0 ? null : (double) errors / finished,
                    (double) inFlightMillis / windowMillis, null, null);
        }
    }

    private final TrafficStore store;
    private final MeshViewLoader views;

    private static void add(long[] sums, EdgeTotals totals) {
        sums[0] += totals.issued();
        sums[1] += totals.successful();
        sums[2] += totals.errors();
        sums[3] += totals.inFlightMillis();
    }

    private static Figures figures(long[] sums, long windowMillis) {
        return sums == null ? Figures.NONE : Figures.of(sums[0], sums[1], sums[2], sums[3], windowMillis);
    }

    public TrafficReport(TrafficStore store, MeshViewLoader views) {
        this.store = store;
        this.views = views;
    }

    /** The mesh's traffic in the buckets that start within the window (the newest bucket may still be filling). */
    MeshTraffic of(String mesh, TrafficWindow window) {
        return of(mesh, window, views.load(mesh).orElse(null));
    }

    /** The same, with the mesh's view (null when unknown) to tell each edge's virtual service. */
    public MeshTraffic of(String mesh, TrafficWindow window, MeshView view) {
        Instant to = Instant.now();
        Instant from = to.minus(window.length());
        long windowMillis = window.length().toMillis();
        List<Edge> edges = new ArrayList<>();
        Map<String, long[]> inbound = new TreeMap<>();
        Map<String, long[]> outbound = new TreeMap<>();
        for (EdgeTotals totals : store.totals(mesh, from)) {
            edges.add(new Edge(new Source(totals.sourceKind(), totals.source()), VirtualServiceInference.via(view,
                    totals.sourceKind(), totals.source(), totals.destinationNode(), totals.destinationPort()),
                    new Destination(totals.destinationNode(), totals.destinationPort()), Figures.of(totals.issued(),
                            totals.successful(), totals.errors(), totals.inFlightMillis(), windowMillis)));
            add(inbound.computeIfAbsent(totals.destinationNode(), n -> new long[4]), totals);
            if (totals.sourceKind().equals("virtualNode")) {
                add(outbound.computeIfAbsent(totals.source(), n -> new long[4]), totals);
            }
        }
        java.util.SortedSet<String> names = new java.util.TreeSet<>(inbound.keySet());
        names.addAll(outbound.keySet());
        List<NodeTraffic> virtualNodes = names.stream().map(n -> new NodeTraffic(n, figures(inbound.get(n), windowMillis),
                figures(outbound.get(n), windowMillis))).toList();
        return new MeshTraffic(mesh, window.text(), window.length().toSeconds(), from, to, LATENCY_NOTE, edges, virtualNodes);
    }
}
