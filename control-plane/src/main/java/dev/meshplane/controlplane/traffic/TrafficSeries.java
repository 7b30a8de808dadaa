package dev.meshplane.controlplane.traffic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The mesh's traffic as Prometheus series, per mesh and callee virtual node, of what this replica received
 * and wrote to PostgreSQL (not the shared totals: a Prometheus that scrapes every replica sums them, and
 * would count shared totals once per replica): {@code meshplane_traffic_requests_total} and
 * {@code meshplane_traffic_errors_total} from load reports, {@code meshplane_traffic_responses_total{code_class}}
 * and the histogram {@code meshplane_traffic_request_duration_seconds} from Envoy's metrics service, its buckets
 * Envoy's default bounds (a bin of other bounds counts in the smallest of them at or above its own). At most
 * {@code meshplane.traffic.max-series} pairs of mesh and virtual node are kept; further ones are dropped and
 * counted ({@code meshplane_traffic_series_overflow_total}); a pair not reported for the retention is removed.
 * Served through Micrometer's Prometheus registry, beside its meters, at {@code /actuator/prometheus}.
 */
@Component
public class TrafficSeries implements MultiCollector {

    private static final String[] CODE_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    /** The histogram's bucket bounds in seconds: Envoy's default ones, then positive infinity. */
    private static final double[] BOUNDS_SECONDS = new double[LatencyQuantiles.ENVOY_BOUNDS.length + 1];

    static {
        for (int i = 0; i < LatencyQuantiles.ENVOY_BOUNDS.length; i++) {
            BOUNDS_SECONDS[i] = LatencyQuantiles.ENVOY_BOUNDS[i] / 1000;
        }
        BOUNDS_SECONDS[LatencyQuantiles.ENVOY_BOUNDS.length] = Double.POSITIVE_INFINITY;
    }

    private record Key(String mesh, String virtualNode) {
    }

    private static final class Series {
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder[] responses = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
        final AtomicLongArray latency = new AtomicLongArray(BOUNDS_SECONDS.length);
        volatile boolean hasResponses;
        volatile boolean hasLatency;
        volatile long updatedMillis = System.currentTimeMillis();
    }

    private final int maxSeries;
    private final long retentionMillis;
    private final Counter overflow;
    private final Map<Key, Series> series = new ConcurrentHashMap<>();

    public TrafficSeries(TrafficProperties properties, MeterRegistry meters, ObjectProvider<PrometheusRegistry> prometheus) {
        this.maxSeries = properties.maxSeries();
        this.retentionMillis = properties.retention().toMillis();
        this.overflow = Counter.builder("meshplane.traffic.series.overflow")
                .description("Traffic written while meshplane.traffic.max-series pairs of mesh and virtual node had series:"
                        + " not in the traffic series").register(meters);
        prometheus.ifAvailable(registry -> registry.register(this));
    }

    /** The series of one callee, or null when there is no room for it (counted). */
    private Series of(String mesh, String virtualNode) {
        Key key = new Key(mesh, virtualNode);
        Series found = series.get(key);
        if (found == null) {
            if (series.size() >= maxSeries) {
                overflow.increment();
                return null;
            }
            found = series.computeIfAbsent(key, k -> new Series());
        }
        found.updatedMillis = System.currentTimeMillis();
        return found;
    }

    /** Adds load written to PostgreSQL (from load reports) towards a virtual node. */
    void load(String mesh, String virtualNode, long issued, long errors) {
        Series s = of(mesh, virtualNode);
        if (s != null) {
            s.requests.add(issued);
            s.errors.add(errors);
        }
    }

    /** Adds Envoy's metrics written to PostgreSQL towards a virtual node: responses 1xx to 5xx, latency samples per bin. */
    void envoy(String mesh, String virtualNode, long[] responses, SortedMap<Double, Long> bins) {
        Series s = of(mesh, virtualNode);
        if (s == null) {
            return;
        }
        for (int i = 0; i < 5; i++) {
            if (responses[i] > 0) {
                s.responses[i].add(responses[i]);
                s.hasResponses = true;
            }
        }
        bins.forEach((boundMillis, samples) -> {
            int i = 0;
            while (BOUNDS_SECONDS[i] < boundMillis / 1000) {
                i++;
            }
            s.latency.addAndGet(i, samples);
            s.hasLatency = true;
        });
    }

    /** Pairs of mesh and virtual node with series now. */
    int size() {
        return series.size();
    }

    @Override
    public MetricSnapshots collect() {
        long oldest = System.currentTimeMillis() - retentionMillis;
        series.values().removeIf(s -> s.updatedMillis < oldest);
        var requests = CounterSnapshot.builder().name("meshplane_traffic_requests")
                .help("Requests towards the virtual node, from load reports this replica received");
        var errors = CounterSnapshot.builder().name("meshplane_traffic_errors")
                .help("Requests towards the virtual node that failed, from load reports this replica received");
        var responses = CounterSnapshot.builder().name("meshplane_traffic_responses")
                .help("Responses of the virtual node per status class, from Envoy's metrics this replica received");
        var latency = HistogramSnapshot.builder().name("meshplane_traffic_request_duration_seconds")
                .help("Upstream request time towards the virtual node, from Envoy's metrics this replica received");
        series.forEach((key, s) -> {
            Labels labels = Labels.of("mesh", key.mesh(), "virtual_node", key.virtualNode());
            requests.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(s.requests.sum()).build());
            errors.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(s.errors.sum()).build());
            if (s.hasResponses) {
                for (int i = 0; i < 5; i++) {
                    responses.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                            .labels(labels.add("code_class", CODE_CLASSES[i])).value(s.responses[i].sum()).build());
                }
            }
            if (s.hasLatency) {
                long[] counts = new long[BOUNDS_SECONDS.length];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = s.latency.get(i);
                }
                latency.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels)
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS_SECONDS, counts)).build());
            }
        });
        return new MetricSnapshots(requests.build(), errors.build(), responses.build(), latency.build());
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of("meshplane_traffic_requests", "meshplane_traffic_errors", "meshplane_traffic_responses",
                "meshplane_traffic_request_duration_seconds");
    }
}
