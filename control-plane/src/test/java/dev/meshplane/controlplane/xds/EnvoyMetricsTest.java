package dev.meshplane.controlplane.xds;

import static dev.meshplane.controlplane.xds.EnvoyLoadReporter.cluster;
import static dev.meshplane.controlplane.xds.EnvoyMetricsSink.counter;
import static dev.meshplane.controlplane.xds.EnvoyMetricsSink.gauge;
import static dev.meshplane.controlplane.xds.EnvoyMetricsSink.histogram;
import static dev.meshplane.controlplane.xds.EnvoyMetricsSink.rawHistogram;
import static dev.meshplane.controlplane.xds.EnvoyMetricsSink.summary;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.controlplane.traffic.LoadReportCounters;
import dev.meshplane.controlplane.traffic.LoadReportCounters.Reason;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Envoy's latency and status classes in, through an Envoy-shaped metrics service sink and load reporter
 * built on Envoy's protos: quantiles from merged histogram bins, within the width of Envoy's bucket
 * holding the true quantile; responses per status class per edge; the same as Prometheus series; and
 * metrics that must not be believed. Shares LoadReportTest's server (reports every second).
 */
@TestPropertySource(properties = "meshplane.traffic.reporting-interval=1s")
class EnvoyMetricsTest extends ServerTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);

    @Autowired
    XdsServer xds;

    @Autowired
    LoadReportCounters counters;

    private JsonNode traffic(String mesh) throws Exception {
        return json(send("GET", "/v1/meshes/" + mesh + "/traffic?window=5m", null), 200);
    }

    private static JsonNode edge(JsonNode traffic, String destination) {
        for (JsonNode edge : traffic.get("edges")) {
            if (edge.at("/destination/virtualNode").asString().equals(destination)) {
                return edge;
            }
        }
        return null;
    }

    private long responses(String mesh, String destination, String codeClass) {
        try {
            JsonNode edge = edge(traffic(mesh), destination);
            return edge == null || edge.at("/traffic/responseCodes").isNull() ? -1
                    : edge.at("/traffic/responseCodes/" + codeClass).asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The true quantile of the samples (nearest rank). */
    private static double truth(double[] sorted, double q) {
        return sorted[(int) Math.ceil(q * sorted.length) - 1];
    }

    /** Envoy's default bucket holding a value: its lower and upper bound. */
    private static double[] envoyBucket(double value) {
        double lower = 0;
        for (double bound : EnvoyMetricsSink.BOUNDS) {
            if (value <= bound) {
                return new double[] {lower, bound};
            }
            lower = bound;
        }
        return new double[] {lower, Double.POSITIVE_INFINITY};
    }

    @Test
    void envoyLatencyQuantilesAndStatusClassesPerEdgeInTheApiAndInPrometheus() throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh(uniqueName("ms-envoy"), port)) {
            String mesh = scenario.mesh;
            String toV1 = "cds_egress_" + mesh + "_user-v1_grpc_50051";
            String toV2 = "cds_egress_" + mesh + "_user-v2_grpc_50051";
            // 1,000 calls to v1, exponentially distributed around 40 ms, reported over two flushes
            Random random = new Random(15);
            double[] samples = new double[1000];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = -40 * Math.log(1 - random.nextDouble());
            }
            double[] sorted = samples.clone();
            Arrays.sort(sorted);
            double unknown = counters.ignoredCount(Reason.UNKNOWN_CLUSTER);
            double inconsistent = counters.ignoredCount(Reason.INCONSISTENT);
            try (EnvoyLoadReporter lrs = new EnvoyLoadReporter(xds.port(), "mesh/" + mesh + "/virtualNode/frontend", null);
                    EnvoyMetricsSink sink = new EnvoyMetricsSink(xds.port(), "mesh/" + mesh + "/virtualNode/frontend", null)) {
                assertThat(lrs.answer(5000)).isNotNull();
                lrs.report(cluster(toV1, 1000, 1000, 0, 0), cluster(toV2, 100, 90, 10, 0));
                sink.flush(histogram("cluster." + toV1 + ".upstream_rq_time", Arrays.copyOfRange(samples, 0, 500)),
                        // Envoy's default emit mode sends the interval's quantiles too: not mergeable, skipped
                        summary("cluster." + toV1 + ".upstream_rq_time", 1, 2, 500),
                        counter("cluster." + toV1 + ".upstream_rq_2xx", 500),
                        counter("cluster." + toV2 + ".upstream_rq_2xx", 90), counter("cluster." + toV2 + ".upstream_rq_5xx", 10),
                        // the rest of what a sidecar sends without Meshplane's stats matcher: skipped, not counted
                        gauge("server.uptime", 42), counter("cluster.meshplane-xds.upstream_rq_2xx", 3),
                        histogram("cluster.cds_ingress_" + mesh + "_frontend_http_8080.upstream_rq_time", 1, 2, 3),
                        counter("http.ingress.downstream_rq_2xx", 5));
                sink.flush(histogram("cluster." + toV1 + ".upstream_rq_time", Arrays.copyOfRange(samples, 500, 1000)),
                        counter("cluster." + toV1 + ".upstream_rq_2xx", 500));
                assertThat(XdsClients.await(SETTLE, () -> responses(mesh, "user-v1", "2xx") == 1000
                        && responses(mesh, "user-v2", "5xx") == 10)).as("both flushes stored").isTrue();
            }
            assertThat(counters.ignoredCount(Reason.UNKNOWN_CLUSTER)).as("the proxy's own clusters are no unknown ones")
                    .isEqualTo(unknown);
            assertThat(counters.ignoredCount(Reason.INCONSISTENT)).as("a summary beside the histogram is fine")
                    .isEqualTo(inconsistent);

            JsonNode t = traffic(mesh);
            JsonNode v1 = edge(t, "user-v1").get("traffic");
            JsonNode v2 = edge(t, "user-v2").get("traffic");
            for (double q : new double[] {0.5, 0.99}) {
                double true_ = truth(sorted, q);
                double[] bucket = envoyBucket(true_);
                double reported = v1.get(q == 0.5 ? "latencyP50Millis" : "latencyP99Millis").asDouble();
                assertThat(reported).as("p%s: true %s ms, within Envoy's bucket (%s, %s]", q * 100, true_, bucket[0], bucket[1])
                        .isBetween(bucket[0], bucket[1]);
                assertThat(Math.abs(reported - true_)).as("off by less than the bucket's width").isLessThan(bucket[1] - bucket[0]);
            }
            assertThat(v1.get("requests").asLong()).as("counts still from LRS").isEqualTo(1000);
            assertThat(v1.at("/responseCodes/1xx").asLong()).isZero();
            assertThat(v1.at("/responseCodes/4xx").asLong()).isZero();
            assertThat(v1.at("/responseCodes/5xx").asLong()).isZero();
            assertThat(v2.at("/responseCodes/2xx").asLong()).isEqualTo(90);
            assertThat(v2.get("errors").asLong()).isEqualTo(10);
            assertThat(v2.get("latencyP50Millis").isNull()).as("no histogram for v2").isTrue();
            assertThat(t.get("latencyNote").asString()).contains("gRPC clients report no latency over LRS")
                    .contains("Edges without latency in this window: frontend -> user-v2:50051.")
                    .doesNotContain("user-v1");
            JsonNode v1Node = null;
            for (JsonNode node : t.get("virtualNodes")) {
                if (node.get("virtualNodeName").asString().equals("user-v1")) {
                    v1Node = node;
                }
            }
            assertThat(v1Node.at("/inbound/latencyP99Millis").asDouble()).as("the node's only inbound edge")
                    .isEqualTo(v1.get("latencyP99Millis").asDouble());
            assertThat(v1Node.at("/inbound/responseCodes/2xx").asLong()).isEqualTo(1000);

            String scrape = send("GET", "/actuator/prometheus", null).body();
            String labels = "mesh=\"" + mesh + "\",virtual_node=\"user-v1\"";
            assertThat(sample(scrape, "meshplane_traffic_requests_total", labels)).isEqualTo(1000);
            assertThat(sample(scrape, "meshplane_traffic_responses_total", "code_class=\"2xx\"," + labels)).isEqualTo(1000);
            assertThat(sample(scrape, "meshplane_traffic_request_duration_seconds_count", labels)).isEqualTo(1000);
            long below100ms = Arrays.stream(samples).filter(s -> s <= 100).count();
            assertThat(sample(scrape, "meshplane_traffic_request_duration_seconds_bucket", labels + ",le=\"0.1\""))
                    .as("cumulative, as Envoy's bins").isEqualTo(below100ms);
            String v2Labels = "mesh=\"" + mesh + "\",virtual_node=\"user-v2\"";
            assertThat(sample(scrape, "meshplane_traffic_errors_total", v2Labels)).isEqualTo(10);
            assertThat(sample(scrape, "meshplane_traffic_responses_total", "code_class=\"5xx\"," + v2Labels)).isEqualTo(10);
        }
    }

    /** The value of the sample with exactly these labels, or -1. */
    private static double sample(String scrape, String metric, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric + "{" + labels + "}") + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** A histogram with one sample in each of {@code bins} bins whose bounds are {@code first}, {@code first + 1} ... ms. */
    private static io.prometheus.client.Metrics.MetricFamily spread(String name, double first, int bins) {
        double[] pairs = new double[2 * bins];
        for (int i = 0; i < bins; i++) {
            pairs[2 * i] = first + i;
            pairs[2 * i + 1] = i + 1;
        }
        return rawHistogram(name, bins, pairs);
    }

    @Test
    void theLimitsHoldPerEdgeHoweverAMessageSplitsIt() throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh(uniqueName("ms-split"), port)) {
            String mesh = scenario.mesh;
            String toV1 = "cds_egress_" + mesh + "_user-v1_grpc_50051";
            String toV2 = "cds_egress_" + mesh + "_user-v2_grpc_50051";
            double rate = counters.ignoredCount(Reason.RATE);
            double inconsistent = counters.ignoredCount(Reason.INCONSISTENT);
            try (EnvoyMetricsSink sink = new EnvoyMetricsSink(xds.port(), "mesh/" + mesh + "/virtualNode/frontend", null)) {
                // every family within 100,000 a second, the edge three times beyond it, once under its TLS variant's name;
                // and two histograms of one edge with 80 bounds between them, where one Envoy has at most 64
                sink.flush(counter("cluster." + toV1 + ".upstream_rq_2xx", 99_000), counter("cluster." + toV1 + ".upstream_rq_2xx", 99_000),
                        counter("cluster." + toV1 + "_plaintext.upstream_rq_2xx", 99_000),
                        spread("cluster." + toV2 + ".upstream_rq_time", 1, 40), spread("cluster." + toV2 + ".upstream_rq_time", 100, 40));
                sink.flush(counter("cluster." + toV1 + ".upstream_rq_2xx", 7));
                assertThat(XdsClients.await(SETTLE, () -> responses(mesh, "user-v1", "2xx") == 7)).isTrue();
            }
            Thread.sleep(1500); // one more interval: anything wrongly kept would be written by now
            assertThat(responses(mesh, "user-v1", "2xx")).as("only the message within the limit").isEqualTo(7);
            JsonNode v2 = edge(traffic(mesh), "user-v2");
            assertThat(v2 == null || v2.at("/traffic/latencyP50Millis").isNull()).as("no histogram of 80 bounds").isTrue();
            assertThat(counters.ignoredCount(Reason.RATE) - rate).isEqualTo(1);
            assertThat(counters.ignoredCount(Reason.INCONSISTENT) - inconsistent).isEqualTo(1);
        }
    }

    @Test
    void newBoundsInEveryMessageDoNotGrowMemoryWithoutEnd() throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh(uniqueName("ms-bins"), port)) {
            String toV1 = "cds_egress_" + scenario.mesh + "_user-v1_grpc_50051";
            double overflow = counters.ignoredCount(Reason.OVERFLOW);
            try (EnvoyMetricsSink sink = new EnvoyMetricsSink(xds.port(), "mesh/" + scenario.mesh + "/virtualNode/frontend", null)) {
                // 60 new bounds a message: fifteen messages, within at most three of the recorder's writes or buckets,
                // put five messages' 300 bounds in one of them
                for (int i = 0; i < 15; i++) {
                    sink.flush(spread("cluster." + toV1 + ".upstream_rq_time", 1 + 1000 * i, 60));
                }
                assertThat(XdsClients.await(SETTLE, () -> counters.ignoredCount(Reason.OVERFLOW) > overflow))
                        .as("an edge's bucket keeps at most 260 bounds; the messages beyond are dropped and counted").isTrue();
            }
        }
    }

    @Test
    void metricsThatAreNotBelievedAreCountedAndNotStored() throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh(uniqueName("ms-bad"), port)) {
            String mesh = scenario.mesh;
            String toV1 = "cds_egress_" + mesh + "_user-v1_grpc_50051";
            double unknown = counters.ignoredCount(Reason.UNKNOWN_CLUSTER);
            double negative = counters.ignoredCount(Reason.NEGATIVE);
            double inconsistent = counters.ignoredCount(Reason.INCONSISTENT);
            double rate = counters.ignoredCount(Reason.RATE);
            double otherNode = counters.ignoredCount(Reason.OTHER_NODE);
            double unknownNode = counters.ignoredCount(Reason.UNKNOWN_NODE);
            try (EnvoyMetricsSink sink = new EnvoyMetricsSink(xds.port(), "mesh/" + mesh + "/virtualNode/frontend", null)) {
                sink.flush(histogram("cluster.cds_egress_" + mesh + "_ghost_grpc_50051.upstream_rq_time", 5, 6),
                        counter("cluster.cds_egress_" + mesh + "_user-v1_grpc_9999.upstream_rq_2xx", 4),
                        counter("cluster." + toV1 + ".upstream_rq_5xx", -3),
                        counter("cluster." + toV1 + ".upstream_rq_4xx", 1.5),
                        rawHistogram("cluster." + toV1 + ".upstream_rq_time", 10, 1, 6, 5, 4),
                        rawHistogram("cluster." + toV1 + ".upstream_rq_time", 10, 1, 6, 5, 11),
                        rawHistogram("cluster." + toV1 + ".upstream_rq_time", 10, 5, 2, 1, 6),
                        counter("cluster." + toV1 + ".upstream_rq_time", 3),
                        counter("cluster." + toV1 + ".upstream_rq_2xx", 1e12));
                // a later message naming another node of the mesh
                sink.flushAs(EnvoyLoadReporter.node("mesh/" + mesh + "/virtualNode/user-v2"),
                        histogram("cluster." + toV1 + ".upstream_rq_time", 5, 6));
                sink.flush(counter("cluster." + toV1 + ".upstream_rq_2xx", 7));
                assertThat(XdsClients.await(SETTLE, () -> responses(mesh, "user-v1", "2xx") == 7))
                        .as("the stream goes on after what it ignored").isTrue();
            }
            assertThat(counters.ignoredCount(Reason.UNKNOWN_CLUSTER) - unknown).as("ghost node, port without listener").isEqualTo(2);
            assertThat(counters.ignoredCount(Reason.NEGATIVE) - negative).isEqualTo(1);
            assertThat(counters.ignoredCount(Reason.INCONSISTENT) - inconsistent)
                    .as("a fraction of a response, counts decreasing or above the samples, bounds decreasing, a counter as histogram")
                    .isEqualTo(5);
            assertThat(counters.ignoredCount(Reason.RATE) - rate).isEqualTo(1);
            assertThat(counters.ignoredCount(Reason.OTHER_NODE) - otherNode).isEqualTo(1);
            JsonNode v1 = edge(traffic(mesh), "user-v1").get("traffic");
            assertThat(v1.at("/responseCodes/2xx").asLong()).as("only the believed count").isEqualTo(7);
            assertThat(v1.at("/responseCodes/4xx").asLong()).isZero();
            assertThat(v1.at("/responseCodes/5xx").asLong()).isZero();
            assertThat(v1.get("latencyP50Millis").isNull()).as("no histogram believed").isTrue();
            assertThat(edge(traffic(mesh), "ghost")).isNull();

            try (EnvoyMetricsSink nameless = new EnvoyMetricsSink(xds.port(), "mesh/" + mesh + "/virtualNode/frontend", null)) {
                nameless.flushAs(null, counter("cluster." + toV1 + ".upstream_rq_2xx", 1));
                assertThat(XdsClients.await(Duration.ofSeconds(5), () -> nameless.ended != null)).isTrue();
                assertThat(nameless.ended.getCode()).as("the first message must name the node")
                        .isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
            }
            assertThat(counters.ignoredCount(Reason.UNKNOWN_NODE) - unknownNode).isEqualTo(1);
        }
    }
}
