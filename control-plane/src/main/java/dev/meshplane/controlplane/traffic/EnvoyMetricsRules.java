package dev.meshplane.controlplane.traffic;

import com.google.common.math.LongMath;
import dev.meshplane.controlplane.traffic.LoadReportCounters.Reason;
import dev.meshplane.snapshot.MeshView;
import io.prometheus.client.Metrics.Bucket;
import io.prometheus.client.Metrics.Metric;
import io.prometheus.client.Metrics.MetricFamily;
import io.prometheus.client.Metrics.MetricType;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one message of Envoy's metrics service sink says about the edges of the mesh, or why a part of it
 * is not believed. What Envoy sends is read from its source
 * ({@code source/extensions/stat_sinks/metrics_service/grpc_metrics_service_impl.cc}, {@code MetricsFlusher}):
 * one {@code io.prometheus.client.MetricFamily} per stat, named with the stat's full name unless
 * {@code emit_tags_as_labels} is set; a counter's value is its change since the last flush with
 * {@code report_counters_as_deltas}; a histogram's {@code intervalStatistics()} (the samples since the last
 * flush) as a SUMMARY of quantiles and/or a HISTOGRAM of cumulative counts below each of its bucket bounds
 * ({@code source/common/stats/histogram_impl.cc}: by default 0.5, 1, 5, ... 3,600,000 ms) and the sample count.
 * Read here, of the clusters towards the mesh's virtual nodes:
 * {@code cluster.<cluster>.upstream_rq_<1-5>xx} (counters: responses per status class) and
 * {@code cluster.<cluster>.upstream_rq_time} (HISTOGRAM: upstream request time in milliseconds). Quantile
 * summaries cannot be merged across proxies or buckets and are skipped, as is every other stat.
 */
final class EnvoyMetricsRules {

    /** Envoy's cluster stats Meshplane reads: the stat prefix {@code cluster.<name>.}, then the family. */
    private static final Pattern CLUSTER_STAT = Pattern.compile("cluster\\.(.+)\\.upstream_rq_(time|[1-5]xx)");
    /**
     * More bounds than Envoy's 19 default ones with room for custom settings; beyond it a histogram is not believed, nor an
     * edge whose histograms in one message hold more distinct bounds (one Envoy has one set of bounds per histogram).
     */
    static final int MAX_BOUNDS = 64;

    /**
     * Envoy flushes its sinks every {@code stats_flush_interval}, which bootstrap.proto bounds to under 5 minutes
     * ({@code lt: {seconds: 300}}): no proxy's message covers more time than that.
     */
    static final long MAX_FLUSH_MILLIS = 300_000;

    /** A callee listener of the mesh. */
    record Destination(String node, int port) {
    }

    /** What a message says of one edge: responses 1xx to 5xx (index 0 to 4) and latency samples per bin upper bound. */
    record EdgeMetrics(long[] responses, SortedMap<Double, Long> bins) {
        EdgeMetrics() {
            this(new long[5], new TreeMap<>());
        }
    }

    /** A message's verdict: per edge what is believed, and per reason how many stats were not. */
    record Verdict(Map<Destination, EdgeMetrics> edges, Map<Reason, Integer> ignored) {
    }

    private final long maxRequestsPerSecond;

    EnvoyMetricsRules(long maxRequestsPerSecond) {
        this.maxRequestsPerSecond = maxRequestsPerSecond;
    }

    /**
     * The time one message's deltas are judged over: the server's time since the stream's previous message, at least
     * 1 s and at most {@link #MAX_FLUSH_MILLIS}, so a stream left idle cannot bring an hour's counts in one message.
     *
     * @param elapsedMillis server time since the stream's previous message, in milliseconds
     * @return seconds, from 1 to 300
     */
    static double coveredSeconds(long elapsedMillis) {
        return Math.max(Math.min(elapsedMillis, MAX_FLUSH_MILLIS), 1000) / 1000.0;
    }

    /**
     * @param view           the caller's mesh
     * @param callerClusters the clusters this replica sends the caller, or null when it does not serve it
     * @param families       one message's metric families
     * @param elapsedMillis  server time since the stream's previous message (or its start)
     */
    Verdict judge(MeshView view, Set<String> callerClusters, List<MetricFamily> families, long elapsedMillis) {
        Map<Destination, EdgeMetrics> edges = new LinkedHashMap<>();
        Map<Reason, Integer> ignored = new EnumMap<>(Reason.class);
        double seconds = coveredSeconds(elapsedMillis);
        for (MetricFamily family : families) {
            Matcher stat = CLUSTER_STAT.matcher(family.getName());
            if (!stat.matches()) {
                continue; // another stat: a bootstrap without Meshplane's stats matcher sends them all
            }
            boolean latency = stat.group(2).equals("time");
            if (latency && family.getType() == MetricType.SUMMARY) {
                continue;
            }
            LoadReportRules.Edge edge = LoadReportRules.edge(view, callerClusters, stat.group(1));
            if (edge.target() == null) {
                if (edge.ignored() != null) {
                    ignored.merge(edge.ignored(), 1, Integer::sum);
                }
                continue;
            }
            EdgeMetrics read = new EdgeMetrics();
            Reason problem = latency ? histogram(family, seconds, read.bins())
                    : counter(family, seconds, read.responses(), stat.group(2).charAt(0) - '1');
            if (problem != null) {
                ignored.merge(problem, 1, Integer::sum);
                continue;
            }
            EdgeMetrics sum = edges.computeIfAbsent(new Destination(edge.target().node(), edge.target().port()),
                    d -> new EdgeMetrics());
            for (int i = 0; i < 5; i++) {
                sum.responses()[i] = LongMath.saturatedAdd(sum.responses()[i], read.responses()[i]);
            }
            read.bins().forEach((bound, samples) -> sum.bins().merge(bound, samples, LongMath::saturatedAdd));
        }
        // the limits hold per edge and message, however many families, metrics or cluster names (TLS variants) carry it
        edges.values().removeIf(sum -> {
            Reason problem = sum.bins().size() > MAX_BOUNDS + 1 ? Reason.INCONSISTENT
                    : total(sum.responses()) / seconds > maxRequestsPerSecond
                            || total(sum.bins().values()) / seconds > maxRequestsPerSecond ? Reason.RATE : null;
            if (problem != null) {
                ignored.merge(problem, 1, Integer::sum);
            }
            return problem != null;
        });
        return new Verdict(edges, ignored);
    }

    private static long total(long[] counts) {
        return Arrays.stream(counts).reduce(0, LongMath::saturatedAdd);
    }

    private static long total(Collection<Long> counts) {
        return counts.stream().reduce(0L, LongMath::saturatedAdd);
    }

    /** A status class counter's deltas into {@code responses[codeClass]}, or why they are not believed. */
    private Reason counter(MetricFamily family, double seconds, long[] responses, int codeClass) {
        if (family.getType() != MetricType.COUNTER) {
            return Reason.INCONSISTENT;
        }
        long total = 0;
        for (Metric metric : family.getMetricList()) {
            double value = metric.getCounter().getValue();
            if (value < 0) {
                return Reason.NEGATIVE;
            }
            if (!Double.isFinite(value) || value != Math.rint(value)) {
                return Reason.INCONSISTENT; // a count of responses is a whole number
            }
            if (value / seconds > maxRequestsPerSecond) {
                return Reason.RATE;
            }
            total += (long) value;
        }
        if (total / seconds > maxRequestsPerSecond) {
            return Reason.RATE;
        }
        responses[codeClass] += total;
        return null;
    }

    /**
     * A latency histogram's samples per bin (each bound's cumulative count less the previous one's; those above
     * the last bound under positive infinity) into {@code bins}, or why they are not believed: bounds that are not
     * positive, finite and increasing, counts that decrease or exceed the sample count ({@code bins} is then
     * to be dropped).
     */
    private Reason histogram(MetricFamily family, double seconds, SortedMap<Double, Long> bins) {
        if (family.getType() != MetricType.HISTOGRAM) {
            return Reason.INCONSISTENT;
        }
        long samplesInAll = 0;
        for (Metric metric : family.getMetricList()) {
            var histogram = metric.getHistogram();
            long samples = histogram.getSampleCount();
            if (samples < 0) {
                return Reason.NEGATIVE; // a uint64 above 2^63
            }
            if (histogram.getBucketCount() > MAX_BOUNDS) {
                return Reason.INCONSISTENT;
            }
            double previousBound = 0;
            long previousCount = 0;
            for (Bucket bucket : histogram.getBucketList()) {
                double bound = bucket.getUpperBound();
                long cumulative = bucket.getCumulativeCount();
                if (cumulative < 0) {
                    return Reason.NEGATIVE;
                }
                if (!(bound > previousBound) || !Double.isFinite(bound) || cumulative < previousCount || cumulative > samples) {
                    return Reason.INCONSISTENT;
                }
                bins.merge(bound, cumulative - previousCount, Long::sum);
                previousBound = bound;
                previousCount = cumulative;
            }
            bins.merge(Double.POSITIVE_INFINITY, samples - previousCount, Long::sum);
            samplesInAll += samples;
            if (samplesInAll / seconds > maxRequestsPerSecond) {
                return Reason.RATE;
            }
        }
        bins.values().removeIf(samples -> samples == 0);
        return null;
    }
}
