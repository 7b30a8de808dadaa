package dev.meshplane.controlplane.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.traffic.TrafficReport.Figures;
import dev.meshplane.controlplane.xds.ProxyStatusTracker.Nack;
import dev.meshplane.controlplane.xds.ProxyStatusTracker.ProxyStatus;
import dev.meshplane.snapshot.ProxyId;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The graph's documented rules at their edges: health by error rate, a proxy's state by what it was sent and accepted. */
class GraphRulesTest {

    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

    private static Figures finished(long successful, long errors) {
        return new Figures(successful + errors, successful, errors, 1, (double) successful / (successful + errors),
                (double) errors / (successful + errors), 0, null, null, null);
    }

    @Test
    void healthIsHealthyBelowOnePercentDegradedBelowTenFailingFromTenIdleWhenNothingFinished() {
        assertThat(ServiceGraphBuilder.health(Figures.NONE)).isEqualTo("idle");
        assertThat(ServiceGraphBuilder.health(finished(1000, 0))).isEqualTo("healthy");
        assertThat(ServiceGraphBuilder.health(finished(1001, 9))).as("0.9%").isEqualTo("healthy");
        assertThat(ServiceGraphBuilder.health(finished(99, 1))).as("1%").isEqualTo("degraded");
        assertThat(ServiceGraphBuilder.health(finished(1001, 99))).as("9.9%").isEqualTo("degraded");
        assertThat(ServiceGraphBuilder.health(finished(9, 1))).as("10%").isEqualTo("failing");
        assertThat(ServiceGraphBuilder.health(finished(0, 5))).isEqualTo("failing");
    }

    private static ProxyStatus status(Map<String, String> sent, Map<String, String> acked, Nack nack) {
        return new ProxyStatus(1, "mesh/m/virtualNode/web", new ProxyId("m", ProxyId.Kind.SIDECAR, "web"), "envoy",
                Instant.now(), sent, acked, nack, sent.size());
    }

    @Test
    void aProxyIsNackedWhileItWasLastSentWhatItRejectedPendingUntilItAcceptsEveryTypeAckedThen() {
        Nack rejected = new Nack(CDS, "v2", "bad cluster", Instant.now());
        assertThat(ServiceGraphBuilder.state(status(Map.of(), Map.of(), null))).as("nothing sent yet").isEqualTo("pending");
        assertThat(ServiceGraphBuilder.state(status(Map.of(CDS, "v1", LDS, "v1"), Map.of(CDS, "v1"), null)))
                .as("listeners not accepted yet").isEqualTo("pending");
        assertThat(ServiceGraphBuilder.state(status(Map.of(CDS, "v1", LDS, "v1"), Map.of(CDS, "v1", LDS, "v1"), null)))
                .isEqualTo("acked");
        assertThat(ServiceGraphBuilder.state(status(Map.of(CDS, "v2", LDS, "v1"), Map.of(CDS, "v1", LDS, "v1"), rejected)))
                .as("still holding v1, v2 rejected").isEqualTo("nacked");
        assertThat(ServiceGraphBuilder.state(status(Map.of(CDS, "v3", LDS, "v1"), Map.of(CDS, "v1", LDS, "v1"), rejected)))
                .as("a fixed v3 sent since, not answered yet").isEqualTo("pending");
        assertThat(ServiceGraphBuilder.state(status(Map.of(CDS, "v3", LDS, "v1"), Map.of(CDS, "v3", LDS, "v1"), rejected)))
                .as("v3 accepted: the old NACK no longer describes it").isEqualTo("acked");
    }
}
