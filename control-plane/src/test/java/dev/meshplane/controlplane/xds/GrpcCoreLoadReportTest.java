package dev.meshplane.controlplane.xds;

import static dev.meshplane.controlplane.xds.TrafficEdges.edge;
import static dev.meshplane.controlplane.xds.TrafficEdges.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.controlplane.traffic.LoadReportCounters;
import dev.meshplane.controlplane.xds.ScriptedGrpcClient.Batch;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@link LoadReportTest}'s end-to-end case with gRPC C-core (Debian's {@code python3-grpcio} 1.51.1, as
 * {@link GrpcCoreXdsTest} runs it): a client calling the two versions of a 90/10 route, one of which fails a
 * known share of its calls, and the traffic API showing each edge's requests and errors as C-core reported them
 * over LRS. Same settings as LoadReportTest (reports every second), so both share one server.
 *
 * <p>C-core opens its load reporting stream once a cluster with {@code lrs_server} has a call to count, starts
 * reporting only after the server's answer (at the interval it names, 1 s at least) and an ADS response, and
 * skips a report whose counts are zero when the previous one's were too ({@code xds_client.cc}, LrsCallState).
 * The route's timeout is 3 s, as in GrpcCoreXdsTest: gRPC Python fails every call under one below about 2 s.
 */
@TestPropertySource(properties = "meshplane.traffic.reporting-interval=1s")
class GrpcCoreLoadReportTest extends ServerTest {

    private static final Logger log = LoggerFactory.getLogger(GrpcCoreLoadReportTest.class);
    private static final Duration SETTLE = Duration.ofSeconds(20);

    @Autowired
    LoadReportCounters counters;

    private JsonNode traffic(String mesh) throws Exception {
        return json(send("GET", "/v1/meshes/" + mesh + "/traffic?window=5m", null), 200);
    }

    @Test
    void cCoreClientReportsEachVersionOfANinetyTenRouteWithItsErrors() throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh(uniqueName("lrs-c-core"), port, 3000)) {
            scenario.v2.failEvery = 4; // v2 fails 25% of its calls with INTERNAL, which the route does not retry
            double ignored = counters.ignoredCount(LoadReportCounters.Reason.UNKNOWN_CLUSTER)
                    + counters.ignoredCount(LoadReportCounters.Reason.INCONSISTENT);
            try (ScriptedGrpcClient client = ScriptedGrpcClient.cCore(scenario.grpcBootstrap("frontend"),
                    "xds:///" + UserServiceMesh.SERVICE)) {
                assertThat(XdsClients.await(Duration.ofSeconds(10), () -> {
                    try {
                        return client.calls(1).counts().size() == 1;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })).as("the first configuration").isTrue();
                Batch batch = client.calls(1000);
                log.info("grpc-c-core 1000 calls for load reports: {} answered, {} failed, in {} ms", batch.counts(), batch.errors(),
                        batch.ms());
                int v1Calls = scenario.v1.calls.get();
                int v2Calls = scenario.v2.calls.get();
                int v2Failed = scenario.v2.failedCalls.get();
                assertThat(batch.errors().getOrDefault("INTERNAL", 0)).as("the client saw v2's failures").isEqualTo(v2Failed);
                assertThat(v2Calls).as("the 90/10 route").isBetween(70, 140);

                long start = System.nanoTime();
                assertThat(XdsClients.await(SETTLE, () -> {
                    try {
                        JsonNode t = traffic(scenario.mesh);
                        return requests(t, "frontend", "user-v1") == v1Calls && requests(t, "frontend", "user-v2") == v2Calls;
                    } catch (Exception e) {
                        return false;
                    }
                })).as("every call C-core made, reported and written within a few intervals").isTrue();
                log.info("grpc-c-core load reports: every call in the traffic API {} ms after the last one",
                        Duration.ofNanos(System.nanoTime() - start).toMillis());
            }
            JsonNode t = traffic(scenario.mesh);
            JsonNode toV1 = edge(t, "frontend", "user-v1");
            JsonNode toV2 = edge(t, "frontend", "user-v2");
            assertThat(toV1.at("/source/kind").asString()).isEqualTo("virtualNode");
            assertThat(toV1.at("/destination/port").asInt()).isEqualTo(50051);
            assertThat(toV1.at("/traffic/errors").asLong()).isZero();
            assertThat(toV1.at("/traffic/errorRate").asDouble()).isZero();
            assertThat(toV2.at("/traffic/errors").asLong()).as("v2's failures, exactly").isEqualTo(scenario.v2.failedCalls.get());
            assertThat(toV2.at("/traffic/errorRate").asDouble()).as("a quarter, within two points").isCloseTo(0.25, within(0.02));
            assertThat(toV2.at("/traffic/successRate").asDouble()).isCloseTo(0.75, within(0.02));
            double share = toV2.at("/traffic/requests").asDouble()
                    / (toV1.at("/traffic/requests").asDouble() + toV2.at("/traffic/requests").asDouble());
            assertThat(share).as("v2's share of the requests, within three points of 10%").isCloseTo(0.10, within(0.03));
            assertThat(toV2.at("/traffic/latencyP50Millis").isNull()).as("gRPC clients report no latency over LRS").isTrue();
            assertThat(counters.ignoredCount(LoadReportCounters.Reason.UNKNOWN_CLUSTER)
                    + counters.ignoredCount(LoadReportCounters.Reason.INCONSISTENT) - ignored)
                    .as("C-core's reports are believed as they are").isZero();
        }
    }
}
