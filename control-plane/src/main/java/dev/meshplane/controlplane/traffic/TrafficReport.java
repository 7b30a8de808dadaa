package dev.meshplane.controlplane.traffic;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meshplane.controlplane.xds.MeshViewLoader;
import dev.meshplane.persistence.TrafficStore;
import dev.meshplane.persistence.TrafficStore.EdgeKey;
import dev.meshplane.persistence.TrafficStore.EdgeTotals;
import dev.meshplane.snapshot.MeshView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Service;

/**
 * A mesh's traffic over a window, from the buckets every replica wrote: per edge (caller node or
 * gateway to callee node listener) and per virtual node (what it received and what it sent). Counts
 * come from load reports; responses per status class and latency quantiles from Envoy's metrics
 * service, the quantiles computed from the window's merged histogram bins ({@link LatencyQuantiles}).
 */
@Service
public class TrafficReport {

    /** Where latency comes from, and why some edges have none. */
    static final String LATENCY_NOTE = "Latency comes from Envoy's metrics service (the upstream_rq_time histograms of"
            + " Envoy sidecars and gateways); gRPC clients report no latency over LRS, so their edges have none.";
    /** Edges named in the note at most; the rest are counted. */
    private static final int NOTE_EDGES = 20;
    private static final String[] CODE_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    /** Edges in the order the API lists them: by caller kind and name, then callee node and port. */
    private static final Comparator<EdgeKey> EDGE_ORDER = Comparator.comparing(EdgeKey::sourceKind)
            .thenComparing(EdgeKey::source).thenComparing(EdgeKey::destinationNode).thenComparingInt(EdgeKey::destinationPort);

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
     * ({@code errorRate}) out of those that finished (null when none did), requests in flight on average,
     * latency quantiles (null where no Envoy reported latency) and responses per status class (null where
     * no Envoy reported them).
     */
    public record Figures(long requests, long successful, long errors, double requestsPerSecond,
            @JsonInclude(JsonInclude.Include.ALWAYS) Double successRate,
            @JsonInclude(JsonInclude.Include.ALWAYS) Double errorRate, double averageInFlight,
            @JsonInclude(JsonInclude.Include.ALWAYS) Double latencyP50Millis,
            @JsonInclude(JsonInclude.Include.ALWAYS) Double latencyP99Millis,
            @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Long> responseCodes) {

        public static final Figures NONE = of(new Sums(), 1);
    }

    /** What is summed per edge or per virtual node over a window before it becomes {@link Figures}. */
    private static final class Sums {
        long issued;
        long successful;
        long errors;
        long inFlightMillis;
        long[] responses;
        final SortedMap<Double, Long> bins = new TreeMap<>();

        void add(EdgeTotals totals) {
            if (totals != null) {
                issued += totals.issued();
                successful += totals.successful();
                errors += totals.errors();
                inFlightMillis += totals.inFlightMillis();
            }
        }

        void add(long[] codes, SortedMap<Double, Long> latency) {
            if (codes != null) {
                if (responses == null) {
                    responses = new long[5];
                }
                for (int i = 0; i < 5; i++) {
                    responses[i] += codes[i];
                }
            }
            if (latency != null) {
                latency.forEach((bound, samples) -> bins.merge(bound, samples, Long::sum));
            }
        }
    }

    private static Figures of(Sums sums, long windowMillis) {
        long finished = sums.successful + sums.errors;
        Map<String, Long> codes = null;
        if (sums.responses != null) {
            codes = new LinkedHashMap<>();
            for (int i = 0; i < 5; i++) {
                codes.put(CODE_CLASSES[i], sums.responses[i]);
            }
        }
        return new Figures(sums.issued, sums.successful, sums.errors, sums.issued * 1000.0 / windowMillis,
                finished == 0 ? null : (double) sums.successful / finished, finished == 0 ? null : (double) sums.errors / finished,
                (double) sums.inFlightMillis / windowMillis, LatencyQuantiles.quantile(sums.bins, 0.5),
                LatencyQuantiles.quantile(sums.bins, 0.99), codes);
    }

    private final TrafficStore store;
    private final MeshViewLoader views;

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
        Map<EdgeKey, EdgeTotals> load = new LinkedHashMap<>();
        for (EdgeTotals totals : store.totals(mesh, from)) {
            load.put(new EdgeKey(totals.sourceKind(), totals.source(), totals.destinationNode(), totals.destinationPort()), totals);
        }
        Map<EdgeKey, long[]> responses = store.responseTotals(mesh, from);
        Map<EdgeKey, SortedMap<Double, Long>> latency = store.latencyTotals(mesh, from);
        SortedSet<EdgeKey> keys = new TreeSet<>(EDGE_ORDER);
        keys.addAll(load.keySet());
        keys.addAll(responses.keySet());
        keys.addAll(latency.keySet());
        List<Edge> edges = new ArrayList<>();
        List<String> withoutLatency = new ArrayList<>();
        Map<String, Sums> inbound = new TreeMap<>();
        Map<String, Sums> outbound = new TreeMap<>();
        for (EdgeKey key : keys) {
            Sums edge = new Sums();
            edge.add(load.get(key));
            edge.add(responses.get(key), latency.get(key));
            edges.add(new Edge(new Source(key.sourceKind(), key.source()), VirtualServiceInference.via(view,
                    key.sourceKind(), key.source(), key.destinationNode(), key.destinationPort()), new Destination(key.destinationNode(),
                    key.destinationPort()), of(edge, windowMillis)));
            if (!latency.containsKey(key)) {
                withoutLatency.add(key.source() + " -> " + key.destinationNode() + ":" + key.destinationPort());
            }
            Sums in = inbound.computeIfAbsent(key.destinationNode(), n -> new Sums());
            in.add(load.get(key));
            in.add(responses.get(key), latency.get(key));
            if (key.sourceKind().equals("virtualNode")) {
                Sums out = outbound.computeIfAbsent(key.source(), n -> new Sums());
                out.add(load.get(key));
                out.add(responses.get(key), latency.get(key));
            }
        }
        SortedSet<String> names = new TreeSet<>(inbound.keySet());
        names.addAll(outbound.keySet());
        List<NodeTraffic> virtualNodes = names.stream().map(n -> new NodeTraffic(n,
                inbound.containsKey(n) ? of(inbound.get(n), windowMillis) : Figures.NONE,
                outbound.containsKey(n) ? of(outbound.get(n), windowMillis) : Figures.NONE)).toList();
        return new MeshTraffic(mesh, window.text(), window.length().toSeconds(), from, to, note(withoutLatency), edges,
                virtualNodes);
    }

    private static String note(List<String> withoutLatency) {
        if (withoutLatency.isEmpty()) {
            return LATENCY_NOTE;
        }
        String named = String.join(", ", withoutLatency.subList(0, Math.min(NOTE_EDGES, withoutLatency.size())));
        return LATENCY_NOTE + " Edges without latency in this window: " + named
                + (withoutLatency.size() > NOTE_EDGES ? " and " + (withoutLatency.size() - NOTE_EDGES) + " more." : ".");
    }
}
