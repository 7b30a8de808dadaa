package dev.meshplane.controlplane.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.metrics.v3.MetricsServiceGrpc;
import io.envoyproxy.envoy.service.metrics.v3.StreamMetricsMessage;
import io.envoyproxy.envoy.service.metrics.v3.StreamMetricsResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.prometheus.client.Metrics.Bucket;
import io.prometheus.client.Metrics.Counter;
import io.prometheus.client.Metrics.Histogram;
import io.prometheus.client.Metrics.Metric;
import io.prometheus.client.Metrics.MetricFamily;
import io.prometheus.client.Metrics.MetricType;
import io.prometheus.client.Metrics.Quantile;
import io.prometheus.client.Metrics.Summary;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A metrics service sink shaped as Envoy's ({@code source/extensions/stat_sinks/metrics_service/
 * grpc_metrics_service_impl.cc}): one {@code StreamMetrics} stream, the node in the first message's identifier
 * only, then per stats flush one message of {@code io.prometheus.client.MetricFamily}, named with the stats' full
 * names (tags not emitted as labels): counters as deltas, histograms of the interval as cumulative counts below
 * Envoy's default bucket bounds. Built on Envoy's protos; no Envoy runs here.
 */
final class EnvoyMetricsSink implements AutoCloseable {

    /** Envoy's default histogram bounds in milliseconds (source/common/stats/histogram_impl.cc). */
    static final double[] BOUNDS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000,
        600000, 1800000, 3600000};

    private final ManagedChannel channel;
    private final Node node;
    private final StreamObserver<StreamMetricsMessage> messages;
    private boolean first = true;
    volatile Status ended;

    EnvoyMetricsSink(int xdsPort, String nodeId, String bearerToken) {
        channel = SignedRequests.channel(xdsPort, bearerToken == null ? java.util.Map.of()
                : java.util.Map.of("authorization", "Bearer " + bearerToken));
        node = EnvoyLoadReporter.node(nodeId);
        messages = MetricsServiceGrpc.newStub(channel).streamMetrics(new StreamObserver<>() {
            @Override
            public void onNext(StreamMetricsResponse response) {
            }

            @Override
            public void onError(Throwable t) {
                ended = Status.fromThrowable(t);
            }

            @Override
            public void onCompleted() {
                ended = Status.OK;
            }
        });
    }

    /** One flush: the node's identifier on the stream's first message only, as Envoy sends it. */
    void flush(MetricFamily... families) {
        StreamMetricsMessage.Builder message = StreamMetricsMessage.newBuilder().addAllEnvoyMetrics(List.of(families));
        if (first) {
            message.getIdentifierBuilder().setNode(node);
            first = false;
        }
        messages.onNext(message.build());
    }

    /** One flush naming some node (the impostor's way), or none when {@code as} is null. */
    void flushAs(Node as, MetricFamily... families) {
        StreamMetricsMessage.Builder message = StreamMetricsMessage.newBuilder().addAllEnvoyMetrics(List.of(families));
        if (as != null) {
            message.getIdentifierBuilder().setNode(as);
        }
        first = false;
        messages.onNext(message.build());
    }

    /** A counter's delta, as {@code flushCounter} with {@code report_counters_as_deltas}. */
    static MetricFamily counter(String name, double delta) {
        return MetricFamily.newBuilder().setName(name).setType(MetricType.COUNTER)
                .addMetric(Metric.newBuilder().setTimestampMs(System.currentTimeMillis())
                        .setCounter(Counter.newBuilder().setValue(delta))).build();
    }

    /** A gauge, as {@code flushGauge}. */
    static MetricFamily gauge(String name, double value) {
        return MetricFamily.newBuilder().setName(name).setType(MetricType.GAUGE)
                .addMetric(Metric.newBuilder().setGauge(io.prometheus.client.Metrics.Gauge.newBuilder().setValue(value))).build();
    }

    /** An interval's samples (milliseconds) as {@code flushHistogram} sends them: cumulative counts at or below each default bound. */
    static MetricFamily histogram(String name, double... samplesMillis) {
        Histogram.Builder histogram = Histogram.newBuilder().setSampleCount(samplesMillis.length);
        double sum = 0;
        for (double sample : samplesMillis) {
            sum += sample;
        }
        histogram.setSampleSum(sum);
        for (double bound : BOUNDS) {
            long below = 0;
            for (double sample : samplesMillis) {
                if (sample <= bound) {
                    below++;
                }
            }
            histogram.addBucket(Bucket.newBuilder().setUpperBound(bound).setCumulativeCount(below));
        }
        return MetricFamily.newBuilder().setName(name).setType(MetricType.HISTOGRAM)
                .addMetric(Metric.newBuilder().setTimestampMs(System.currentTimeMillis()).setHistogram(histogram)).build();
    }

    /** A histogram as given: its sample count and its buckets' bounds and cumulative counts, in pairs. */
    static MetricFamily rawHistogram(String name, long sampleCount, double... boundsAndCounts) {
        Histogram.Builder histogram = Histogram.newBuilder().setSampleCount(sampleCount);
        for (int i = 0; i < boundsAndCounts.length; i += 2) {
            histogram.addBucket(Bucket.newBuilder().setUpperBound(boundsAndCounts[i]).setCumulativeCount((long) boundsAndCounts[i + 1]));
        }
        return MetricFamily.newBuilder().setName(name).setType(MetricType.HISTOGRAM)
                .addMetric(Metric.newBuilder().setHistogram(histogram)).build();
    }

    /** The same interval as {@code flushSummary} sends it beside the histogram (SUMMARY_AND_HISTOGRAM, the default). */
    static MetricFamily summary(String name, double p50, double p99, long count) {
        return MetricFamily.newBuilder().setName(name).setType(MetricType.SUMMARY)
                .addMetric(Metric.newBuilder().setSummary(Summary.newBuilder().setSampleCount(count)
                        .addQuantile(Quantile.newBuilder().setQuantile(0.5).setValue(p50))
                        .addQuantile(Quantile.newBuilder().setQuantile(0.99).setValue(p99)))).build();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            messages.onCompleted();
        } catch (RuntimeException ignored) {
            // the server may have closed the stream already
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
