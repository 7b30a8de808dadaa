package dev.meshplane.controlplane.xds;

import static dev.meshplane.controlplane.xds.EnvoyLoadReporter.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.MeshplaneApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two replicas (two servers in one JVM) on one PostgreSQL: load reported to each is seen through the
 * other, reports of the same edge and bucket sent to both are added, not overwritten (load reports, and
 * Envoy's latency bins and status classes), and a replica that stops writes what it has not written yet.
 */
class TrafficReplicasTest {

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext replica(String jdbcUrl, Path dir) {
        return replica(jdbcUrl, dir, "1s");
    }

    private static ConfigurableApplicationContext replica(String jdbcUrl, Path dir, String reportingInterval) {
        return new SpringApplicationBuilder(MeshplaneApplication.class).run("--server.port=0", "--meshplane.xds.port=0",
                "--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres",
                "--meshplane.security.authentication=disabled", // development mode, explicitly: this test is about replicas
                "--meshplane.xds.warm-up=false", "--meshplane.xds.drain-window=0s",
                "--meshplane.traffic.reporting-interval=" + reportingInterval,
                "--meshplane.database.embedded.data-dir=" + dir.resolve("unused"));
    }

    private static int httpPort(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static int xdsPort(ConfigurableApplicationContext context) {
        return context.getBean(XdsServer.class).port();
    }

    private long requestsThrough(ConfigurableApplicationContext replica, String mesh) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort(replica)
                    + "/v1/meshes/" + mesh + "/traffic?window=5m")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode edges = JsonMapper.builder().build().readTree(response.body()).get("edges");
            return edges == null || edges.isEmpty() ? 0 : edges.get(0).at("/traffic/requests").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The first edge's traffic figures through a replica, or null. */
    private JsonNode figuresThrough(ConfigurableApplicationContext replica, String mesh) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort(replica)
                    + "/v1/meshes/" + mesh + "/traffic?window=5m")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode edges = JsonMapper.builder().build().readTree(response.body()).get("edges");
            return edges == null || edges.isEmpty() ? null : edges.get(0).get("traffic");
        } catch (Exception e) {
            return null;
        }
    }

    private long responses2xxThrough(ConfigurableApplicationContext replica, String mesh) {
        JsonNode figures = figuresThrough(replica, mesh);
        return figures == null || figures.get("responseCodes").isNull() ? 0 : figures.at("/responseCodes/2xx").asLong();
    }

    @Test
    void loadReportedToOneReplicaIsSeenThroughTheOtherAndBothAdd() throws Exception {
        try (EmbeddedPostgres database = EmbeddedPostgres.builder().setDataDirectory(work.resolve("postgres")).start()) {
            String jdbcUrl = database.getJdbcUrl("postgres", "postgres");
            try (ConfigurableApplicationContext a = replica(jdbcUrl, work.resolve("a"));
                    ConfigurableApplicationContext b = replica(jdbcUrl, work.resolve("b"));
                    UserServiceMesh scenario = new UserServiceMesh("replicated-traffic", httpPort(a))) {
                String mesh = scenario.mesh;
                String node = "mesh/" + mesh + "/virtualNode/frontend";
                String toV1 = "cds_egress_" + mesh + "_user-v1_grpc_50051";
                try (EnvoyLoadReporter toA = new EnvoyLoadReporter(xdsPort(a), node, null)) {
                    assertThat(toA.answer(5000)).isNotNull();
                    toA.report(cluster(toV1, 40, 40, 0, 0));
                    assertThat(XdsClients.await(Duration.ofSeconds(20), () -> requestsThrough(b, mesh) == 40))
                            .as("reported to A, read through B").isTrue();
                }
                try (EnvoyLoadReporter toA = new EnvoyLoadReporter(xdsPort(a), node, null);
                        EnvoyLoadReporter toB = new EnvoyLoadReporter(xdsPort(b), node, null)) {
                    assertThat(toA.answer(5000)).isNotNull();
                    assertThat(toB.answer(5000)).isNotNull();
                    toA.report(cluster(toV1, 5, 5, 0, 0));
                    toB.report(cluster(toV1, 3, 3, 0, 0));
                    assertThat(XdsClients.await(Duration.ofSeconds(20), () -> requestsThrough(a, mesh) == 48))
                            .as("both replicas' reports added up, read through A").isTrue();
                }
                assertThat(requestsThrough(b, mesh)).isEqualTo(48);

                // Envoy's latency bins and status classes add up across replicas too (issue 15)
                double[] fast = new double[40];
                java.util.Arrays.fill(fast, 7);
                double[] slow = new double[8];
                java.util.Arrays.fill(slow, 300);
                try (EnvoyMetricsSink toA = new EnvoyMetricsSink(xdsPort(a), node, null);
                        EnvoyMetricsSink toB = new EnvoyMetricsSink(xdsPort(b), node, null)) {
                    String stat = "cluster." + toV1 + ".upstream_rq_";
                    toA.flush(EnvoyMetricsSink.histogram(stat + "time", fast), EnvoyMetricsSink.counter(stat + "2xx", 40));
                    toB.flush(EnvoyMetricsSink.histogram(stat + "time", slow), EnvoyMetricsSink.counter(stat + "2xx", 8));
                    assertThat(XdsClients.await(Duration.ofSeconds(20), () -> responses2xxThrough(a, mesh) == 48))
                            .as("both replicas' status classes added up, read through A").isTrue();
                }
                JsonNode figures = figuresThrough(b, mesh);
                assertThat(figures.at("/responseCodes/2xx").asLong()).isEqualTo(48);
                assertThat(figures.get("latencyP50Millis").asDouble()).as("from A's bins: (5, 10]").isBetween(5.0, 10.0);
                assertThat(figures.get("latencyP99Millis").asDouble()).as("from B's bins: (250, 500]").isBetween(250.0, 500.0);
            }
        }
    }

    @Test
    void aReplicaStoppingWritesTheLoadItHasNotWrittenYet() throws Exception {
        try (EmbeddedPostgres database = EmbeddedPostgres.builder().setDataDirectory(work.resolve("postgres")).start()) {
            String jdbcUrl = database.getJdbcUrl("postgres", "postgres");
            try (ConfigurableApplicationContext b = replica(jdbcUrl, work.resolve("b"))) {
                String mesh;
                // A writes once an hour: what it holds when it stops can only be written by its stop
                try (ConfigurableApplicationContext a = replica(jdbcUrl, work.resolve("a"), "1h");
                        UserServiceMesh scenario = new UserServiceMesh("stopping-replica", httpPort(a));
                        EnvoyLoadReporter toA = new EnvoyLoadReporter(xdsPort(a), "mesh/stopping-replica/virtualNode/frontend", null)) {
                    mesh = scenario.mesh;
                    assertThat(toA.answer(5000)).isNotNull();
                    toA.report(cluster("cds_egress_" + mesh + "_user-v1_grpc_50051", 21, 21, 0, 0));
                    assertThat(XdsClients.await(Duration.ofSeconds(5),
                            () -> a.getBean(dev.meshplane.controlplane.traffic.LoadReportCounters.class).acceptedCount() == 1))
                            .isTrue();
                    assertThat(requestsThrough(b, mesh)).as("not written yet").isZero();
                }
                assertThat(requestsThrough(b, mesh)).as("written as A stopped").isEqualTo(21);
            }
        }
    }
}
