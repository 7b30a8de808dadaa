package dev.meshplane.controlplane.xds;

import static dev.meshplane.controlplane.xds.EnvoyLoadReporter.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.traffic.LoadReportCounters;
import dev.meshplane.controlplane.traffic.LoadReportCounters.Reason;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * With authentication on, load reports and Envoy's metrics stream under the same rule as ADS: a proxy
 * token reports for its own node only; a report as another node closes the stream, is audited and
 * counted, and stores nothing; without credentials there is no stream at all.
 */
class LoadReportAuthenticationTest extends AuthenticatedServerTest {

    @Autowired
    LoadReportCounters counters;

    private long requests(String mesh, String token) throws Exception {
        JsonNode edges = ok(call("GET", "/v1/meshes/" + mesh + "/traffic?window=1h", null, token)).get("edges");
        long sum = 0;
        for (JsonNode edge : edges) {
            sum += edge.at("/traffic/requests").asLong();
        }
        return sum;
    }

    @Test
    void aProxyReportsForItsOwnNodeOnly() throws Exception {
        String mesh = meshWithNodes();
        String toOther = "cds_egress_" + mesh + "_other_http_8080";
        String apiToken = ok(call("POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"api\"}", ADMIN))
                .get("token").asString();
        double otherNode = counters.ignoredCount(Reason.OTHER_NODE);

        try (EnvoyLoadReporter anonymous = new EnvoyLoadReporter(xds.port(), "mesh/" + mesh + "/virtualNode/api", null)) {
            assertThat(anonymous.answer(1500)).as("no credentials: no answer").isNull();
            assertThat(anonymous.ended.getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
        }
        try (EnvoyLoadReporter impostor = new EnvoyLoadReporter(xds.port(), "mesh/" + mesh + "/virtualNode/other", apiToken)) {
            assertThat(impostor.answer(1500)).as("the api node's token reporting as 'other'").isNull();
            assertThat(impostor.ended.getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
        }
        awaitAudit("mesh=" + mesh, "mesh/" + mesh + "/virtualNode/other");
        assertThat(counters.ignoredCount(Reason.OTHER_NODE) - otherNode).isEqualTo(1);

        try (EnvoyLoadReporter api = new EnvoyLoadReporter(xds.port(), "mesh/" + mesh + "/virtualNode/api", apiToken)) {
            assertThat(api.answer(5000)).as("its own node: answered").isNotNull();
            api.report(EnvoyLoadReporter.node("mesh/" + mesh + "/virtualNode/other"), cluster(toOther, 5, 5, 0, 0));
            XdsClients.await(Duration.ofSeconds(3), () -> api.ended != null);
            assertThat(api.ended).as("switching to another node mid-stream").isNotNull();
            assertThat(api.ended.getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
        }
        assertThat(counters.ignoredCount(Reason.OTHER_NODE) - otherNode).isEqualTo(2);

        try (EnvoyLoadReporter api = new EnvoyLoadReporter(xds.port(), "mesh/" + mesh + "/virtualNode/api", apiToken)) {
            assertThat(api.answer(5000)).isNotNull();
            api.report(cluster(toOther, 7, 6, 1, 0));
            assertThat(XdsClients.await(Duration.ofSeconds(30), () -> {
                try {
                    return requests(mesh, ADMIN) == 7;
                } catch (Exception e) {
                    return false;
                }
            })).as("its own report is stored").isTrue();
        }
        assertThat(requests(mesh, ADMIN)).as("nothing of the impostors").isEqualTo(7);
    }

    @Test
    void envoyMetricsOfAProxyAreForItsOwnNodeOnly() throws Exception {
        String mesh = meshWithNodes();
        String stat = "cluster.cds_egress_" + mesh + "_other_http_8080.upstream_rq_";
        String apiToken = ok(call("POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"api\"}", ADMIN))
                .get("token").asString();
        double otherNode = counters.ignoredCount(Reason.OTHER_NODE);
        try (EnvoyMetricsSink anonymous = new EnvoyMetricsSink(xds.port(), "mesh/" + mesh + "/virtualNode/api", null)) {
            anonymous.flush(EnvoyMetricsSink.counter(stat + "5xx", 9));
            XdsClients.await(Duration.ofSeconds(5), () -> anonymous.ended != null);
            assertThat(anonymous.ended.getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
        }
        try (EnvoyMetricsSink impostor = new EnvoyMetricsSink(xds.port(), "mesh/" + mesh + "/virtualNode/other", apiToken)) {
            impostor.flush(EnvoyMetricsSink.counter(stat + "5xx", 9));
            XdsClients.await(Duration.ofSeconds(5), () -> impostor.ended != null);
            assertThat(impostor.ended.getCode()).as("the api node's token reporting as 'other'")
                    .isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
        }
        awaitAudit("mesh=" + mesh, "mesh/" + mesh + "/virtualNode/other");
        assertThat(counters.ignoredCount(Reason.OTHER_NODE) - otherNode).isEqualTo(1);

        try (EnvoyMetricsSink api = new EnvoyMetricsSink(xds.port(), "mesh/" + mesh + "/virtualNode/api", apiToken)) {
            api.flush(EnvoyMetricsSink.counter(stat + "2xx", 4));
            assertThat(XdsClients.await(Duration.ofSeconds(30), () -> {
                try {
                    JsonNode edges = ok(call("GET", "/v1/meshes/" + mesh + "/traffic?window=1h", null, ADMIN)).get("edges");
                    return edges.size() == 1 && edges.get(0).at("/traffic/responseCodes/2xx").asLong() == 4;
                } catch (Exception e) {
                    return false;
                }
            })).as("its own metrics are stored").isTrue();
        }
        JsonNode edges = ok(call("GET", "/v1/meshes/" + mesh + "/traffic?window=1h", null, ADMIN)).get("edges");
        assertThat(edges.get(0).at("/traffic/responseCodes/5xx").asLong()).as("nothing of the impostors").isZero();
    }
}
