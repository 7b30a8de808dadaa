package dev.meshplane.controlplane.xds;

import static dev.meshplane.controlplane.xds.TrafficEdges.edge;
import static dev.meshplane.controlplane.xds.TrafficEdges.requests;
import static dev.meshplane.controlplane.xds.EnvoyLoadReporter.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.controlplane.traffic.LoadReportCounters;
import dev.meshplane.controlplane.traffic.LoadReportCounters.Reason;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Load reports in, aggregated, queryable: a real grpc-java xDS client over the scenario's 90/10 route,
 * an Envoy-shaped reporter on Envoy's protos, and reports that must not be believed. Reports every
 * second here, so that a few intervals pass quickly.
 */
@TestPropertySource(properties = "meshplane.traffic.reporting-interval=1s")
class LoadReportTest extends ServerTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);

    @Autowired
    XdsServer xds;

    @Autowired
    LoadReportCounters counters;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry registry;

    private JsonNode traffic(String mesh) throws Exception {
        return json(send("GET", "/v1/meshes/" + mesh + "/traffic?window=5m", null), 200);
    }

    @Test
    void grpcJavaClientReportsEachVersionOfANinetyTenRouteWithItsErrors() throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh(uniqueName("lrs-grpc"), port)) {
            scenario.v2.failEvery = 4; // v2 fails 25% of its calls
            ManagedChannel channel = XdsClients.xdsChannel(scenario.grpcBootstrap("frontend"), UserServiceMesh.SERVICE);
            try {
                assertThat(XdsClients.await(Duration.ofSeconds(10), () -> XdsClients.tryCall(channel) != null)).isTrue();
                int failed = 0;
                for (int i = 0; i < 1000; i++) {
                    try {
                        SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                                .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hi").build());
                    } catch (StatusRuntimeException e) {
                        failed++;
                    }
                }
                int v1Calls = scenario.v1.calls.get();
                int v2Calls = scenario.v2.calls.get();
                int v2Failed = scenario.v2.failedCalls.get();
                assertThat(failed).isEqualTo(v2Failed);
                assertThat(v2Calls).as("the 90/10 route").isBetween(60, 140);

                assertThat(XdsClients.await(SETTLE, () -> {
                    try {
                        JsonNode t = traffic(scenario.mesh);
                        return requests(t, "frontend", "user-v1") == v1Calls && requests(t, "frontend", "user-v2") == v2Calls;
                    } catch (Exception e) {
                        return false;
                    }
                })).as("every call reported, within a few intervals").isTrue();
                JsonNode t = traffic(scenario.mesh);
                JsonNode toV1 = edge(t, "frontend", "user-v1");
                JsonNode toV2 = edge(t, "frontend", "user-v2");
                assertThat(toV1.at("/source/kind").asString()).isEqualTo("virtualNode");
                assertThat(toV1.at("/destination/port").asInt()).isEqualTo(50051);
                assertThat(toV1.get("virtualService").asString()).as("the one service of frontend's that routes to v1")
                        .isEqualTo(UserServiceMesh.SERVICE);
                assertThat(toV2.get("virtualService").asString()).isEqualTo(UserServiceMesh.SERVICE);
                assertThat(toV1.at("/traffic/errors").asLong()).isZero();
                assertThat(toV1.at("/traffic/errorRate").asDouble()).isZero();
                assertThat(toV2.at("/traffic/errors").asLong()).as("v2's failures, exactly").isEqualTo(v2Failed);
                assertThat(toV2.at("/traffic/errorRate").asDouble()).as("a quarter, within a point").isBetween(0.24, 0.26);
                assertThat(toV2.at("/traffic/successRate").asDouble()).isBetween(0.74, 0.76);
                assertThat(toV1.at("/traffic/requestsPerSecond").asDouble()).isEqualTo(v1Calls / 300.0, org.assertj.core.api.Assertions.within(1e-9));
                assertThat(toV2.at("/traffic").has("latencyP50Millis")).as("present, and null").isTrue();
                assertThat(toV2.at("/traffic/latencyP50Millis").isNull()).isTrue();
                assertThat(t.get("latencyNote").asString()).contains("gRPC clients report no latency over LRS")
                        .contains("frontend -> user-v1:50051", "frontend -> user-v2:50051");
                assertThat(toV2.at("/traffic/responseCodes").isNull()).as("no status classes from a gRPC client").isTrue();

                JsonNode v2Node = null;
                for (JsonNode node : t.get("virtualNodes")) {
                    if (node.get("virtualNodeName").asString().equals("user-v2")) {
                        v2Node = node;
                    }
                }
                assertThat(v2Node).isNotNull();
                assertThat(v2Node.at("/inbound/requests").asLong()).isEqualTo(v2Calls);
                assertThat(v2Node.at("/inbound/errors").asLong()).isEqualTo(v2Failed);
                // the caller has nothing inbound: its rates are there, null, as docs/traffic.md says (scripts index them)
                JsonNode frontendInbound = null;
                for (JsonNode node : t.get("virtualNodes")) {
                    if (node.get("virtualNodeName").asString().equals("frontend")) {
                        frontendInbound = node.get("inbound");
                    }
                }
                assertThat(frontendInbound).isNotNull();
                assertThat(frontendInbound.has("successRate") && frontendInbound.has("errorRate")).as("present, and null").isTrue();
                assertThat(frontendInbound.get("successRate").isNull() && frontendInbound.get("errorRate").isNull()).isTrue();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void envoyShapedReportsAreSummedPerEdgeAndWhatIsNotBelievedIsCountedNotStored() throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh(uniqueName("lrs-envoy"), port)) {
            String mesh = scenario.mesh;
            String toV1 = "cds_egress_" + mesh + "_user-v1_grpc_50051";
            String toV2 = "cds_egress_" + mesh + "_user-v2_grpc_50051";
            double unknown = counters.ignoredCount(Reason.UNKNOWN_CLUSTER);
            double negative = counters.ignoredCount(Reason.NEGATIVE);
            double inconsistent = counters.ignoredCount(Reason.INCONSISTENT);
            double rate = counters.ignoredCount(Reason.RATE);
            double otherNode = counters.ignoredCount(Reason.OTHER_NODE);
            try (EnvoyLoadReporter envoy = new EnvoyLoadReporter(xds.port(), "mesh/" + mesh + "/virtualNode/frontend", null)) {
                LoadStatsResponse answer = envoy.answer(5000);
                assertThat(answer).as("the server answers the first request").isNotNull();
                assertThat(answer.getSendAllClusters()).isTrue();
                assertThat(answer.getLoadReportingInterval().getSeconds()).isEqualTo(1);

                envoy.report(cluster(toV1, 90, 88, 2, 3), cluster(toV2, 10, 9, 1, 0),
                        // the proxy's own clusters: no edge, not counted as unknown
                        cluster("cds_ingress_" + mesh + "_frontend_http_8080", 50, 50, 0, 0), cluster("meshplane-xds", 4, 2, 0, 2),
                        cluster("cds_egress_" + mesh + "_ghost_grpc_50051", 7, 7, 0, 0),
                        cluster("cds_egress_" + mesh + "_user-v1_grpc_9999", 7, 7, 0, 0));
                envoy.report(cluster(toV1, 100, 103, 0, 0)); // 3 in progress at the last report: 103 may finish
                envoy.report(cluster(toV1, 5, 6, 0, 0)); // none in progress then: 6 cannot finish of 5
                envoy.report(cluster(toV2, -1, 0, 0, 0)); // a uint64 above 2^63
                envoy.report(cluster(toV2, 10_000_000, 0, 0, 0)); // ten million a second from one proxy
                envoy.report(EnvoyLoadReporter.node("mesh/" + mesh + "/virtualNode/user-v1"), cluster(toV2, 1, 1, 0, 0));

                assertThat(XdsClients.await(SETTLE, () -> {
                    try {
                        return requests(traffic(mesh), "frontend", "user-v1") == 190;
                    } catch (Exception e) {
                        return false;
                    }
                })).as("the believed reports, written").isTrue();
            }
            Thread.sleep(1500); // one more interval: anything wrongly kept would be written by now
            JsonNode t = traffic(mesh);
            assertThat(t.get("edges")).as("frontend to v1 and v2 only").hasSize(2);
            JsonNode v1 = edge(t, "frontend", "user-v1");
            assertThat(v1.at("/traffic/requests").asLong()).isEqualTo(190);
            assertThat(v1.at("/traffic/successful").asLong()).isEqualTo(191);
            assertThat(v1.at("/traffic/errors").asLong()).isEqualTo(2);
            JsonNode v2 = edge(t, "frontend", "user-v2");
            assertThat(v2.at("/traffic/requests").asLong()).as("only the first report towards v2").isEqualTo(10);
            assertThat(v2.at("/traffic/errorRate").asDouble()).isEqualTo(0.1);
            assertThat(edge(t, "user-v1", "user-v2")).as("a report as another node").isNull();

            assertThat(counters.ignoredCount(Reason.UNKNOWN_CLUSTER) - unknown).isEqualTo(2);
            assertThat(counters.ignoredCount(Reason.NEGATIVE) - negative).isEqualTo(1);
            assertThat(counters.ignoredCount(Reason.INCONSISTENT) - inconsistent).isEqualTo(1);
            assertThat(counters.ignoredCount(Reason.RATE) - rate).isEqualTo(1);
            assertThat(counters.ignoredCount(Reason.OTHER_NODE) - otherNode).isEqualTo(1);
            assertThat(send("GET", "/actuator/prometheus", null).body())
                    .containsPattern("meshplane_traffic_reports_ignored_total\\{[^}]*reason=\"unknown_cluster\"");
        }
    }

    @Test
    void theLimitHoldsPerEdgeHoweverAReportSplitsItOrHowLongTheStreamWaited() throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh(uniqueName("lrs-split"), port)) {
            String mesh = scenario.mesh;
            String toV1 = "cds_egress_" + mesh + "_user-v1_grpc_50051";
            String toV2 = "cds_egress_" + mesh + "_user-v2_grpc_50051";
            double rate = counters.ignoredCount(Reason.RATE);
            var threeLocalities = cluster(toV2, 99_000, 0, 0, 0).toBuilder();
            for (String zone : new String[] {"b", "c"}) {
                threeLocalities.addUpstreamLocalityStats(threeLocalities.getUpstreamLocalityStats(0).toBuilder()
                        .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder().setZone(zone)));
            }
            try (EnvoyLoadReporter envoy = new EnvoyLoadReporter(xds.port(), "mesh/" + mesh + "/virtualNode/frontend", null)) {
                assertThat(envoy.answer(5000)).isNotNull();
                // every part within 100,000 a second, each edge three times beyond it: a cluster repeated and under its
                // TLS variant's name, a cluster's localities
                envoy.report(cluster(toV1, 99_000, 0, 0, 0), cluster(toV1, 99_000, 0, 0, 0),
                        cluster(toV1 + "_plaintext", 99_000, 0, 0, 0), threeLocalities.build());
                envoy.report(cluster(toV1, 5, 5, 0, 0));
                // idle for four intervals, then four seconds' worth at 87,500 a second: one report covers one interval
                Thread.sleep(4000);
                envoy.report(cluster(toV1, 350_000, 0, 0, 0));
                assertThat(XdsClients.await(SETTLE, () -> counters.ignoredCount(Reason.RATE) - rate == 3)).isTrue();
            }
            Thread.sleep(1500); // one more interval: anything wrongly kept would be written by now
            JsonNode t = traffic(mesh);
            assertThat(requests(t, "frontend", "user-v1")).as("only the report within the limit").isEqualTo(5);
            assertThat(edge(t, "frontend", "user-v2")).isNull();
            assertThat(counters.ignoredCount(Reason.RATE) - rate).isEqualTo(3);
        }
    }

    @Test
    void aClientServedHereReportsOnlyForClustersItWasSent() throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh(uniqueName("lrs-sent"), port)) {
            String mesh = scenario.mesh;
            // a node with a listener that nobody calls: its cluster exists in the mesh but frontend was never sent it
            appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("billing").spec(UserServiceMesh.backendNode("v9")));
            ManagedChannel channel = XdsClients.xdsChannel(scenario.grpcBootstrap("frontend"), UserServiceMesh.SERVICE);
            try {
                assertThat(XdsClients.await(Duration.ofSeconds(10), () -> XdsClients.tryCall(channel) != null)).isTrue();
                double unknown = counters.ignoredCount(Reason.UNKNOWN_CLUSTER);
                var asGrpc = EnvoyLoadReporter.node("mesh/" + mesh + "/virtualNode/frontend").toBuilder()
                        .setUserAgentName("gRPC Java").build();
                try (EnvoyLoadReporter reporter = new EnvoyLoadReporter(xds.port(), asGrpc, null)) {
                    assertThat(reporter.answer(5000)).isNotNull();
                    reporter.report(cluster("cds_egress_" + mesh + "_billing_grpc_50051", 30, 30, 0, 0));
                    assertThat(XdsClients.await(SETTLE, () -> counters.ignoredCount(Reason.UNKNOWN_CLUSTER) - unknown == 1))
                            .as("a cluster of the mesh that this client was not sent").isTrue();
                }
                Thread.sleep(1500);
                assertThat(edge(traffic(mesh), "frontend", "billing")).isNull();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void gatewaysReportAsSourcesOfEdges() throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh(uniqueName("lrs-gateway"), port)) {
            String mesh = scenario.mesh;
            appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("ingress").spec(s -> s.listeners(l -> l
                    .portMapping(p -> p.port(8080).protocol(software.amazon.awssdk.services.appmesh.model.VirtualGatewayPortProtocol.HTTP)))));
            double unknownNode = counters.ignoredCount(Reason.UNKNOWN_NODE);
            try (EnvoyLoadReporter gateway = new EnvoyLoadReporter(xds.port(), "mesh/" + mesh + "/virtualGateway/ingress", null);
                    EnvoyLoadReporter ghost = new EnvoyLoadReporter(xds.port(), "mesh/" + mesh + "/virtualGateway/ghost", null)) {
                assertThat(gateway.answer(5000)).isNotNull();
                assertThat(ghost.answer(5000)).as("a well-formed id is answered; its reports are judged").isNotNull();
                gateway.report(cluster("cds_egress_" + mesh + "_user-v1_grpc_50051", 12, 12, 0, 0));
                ghost.report(cluster("cds_egress_" + mesh + "_user-v1_grpc_50051", 99, 99, 0, 0));
                assertThat(XdsClients.await(SETTLE, () -> {
                    try {
                        return requests(traffic(mesh), "ingress", "user-v1") == 12;
                    } catch (Exception e) {
                        return false;
                    }
                })).isTrue();
            }
            Thread.sleep(1500);
            JsonNode t = traffic(mesh);
            assertThat(t.get("edges")).as("the gateway's edge only; no gateway 'ghost' in the mesh").hasSize(1);
            assertThat(edge(t, "ingress", "user-v1").at("/source/kind").asString()).isEqualTo("virtualGateway");
            assertThat(counters.ignoredCount(Reason.UNKNOWN_NODE) - unknownNode).isEqualTo(1);
        }
    }

    @Test
    void aNodeThatIsNoProxyOfTheMeshIsRefused() throws Exception {
        double before = counters.ignoredCount(Reason.UNKNOWN_NODE);
        try (EnvoyLoadReporter envoy = new EnvoyLoadReporter(xds.port(), "not-a-node-id", null)) {
            assertThat(envoy.answer(3000)).isNull();
            assertThat(envoy.ended.getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
        }
        assertThat(counters.ignoredCount(Reason.UNKNOWN_NODE) - before).isEqualTo(1);
    }

    @Test
    void reportsOfAnIntervalAreWrittenInOneBatch() throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh(uniqueName("lrs-batch"), port)) {
            String toV1 = "cds_egress_" + scenario.mesh + "_user-v1_grpc_50051";
            try (EnvoyLoadReporter envoy = new EnvoyLoadReporter(xds.port(), "mesh/" + scenario.mesh + "/virtualNode/frontend", null)) {
                assertThat(envoy.answer(5000)).isNotNull();
                long writesBefore = counters.writeCount();
                long start = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    envoy.report(cluster(toV1, 1, 1, 0, 0));
                }
                assertThat(XdsClients.await(SETTLE, () -> {
                    try {
                        return requests(traffic(scenario.mesh), "frontend", "user-v1") == 200;
                    } catch (Exception e) {
                        return false;
                    }
                })).isTrue();
                long intervals = Duration.ofNanos(System.nanoTime() - start).toSeconds() + 1;
                assertThat(counters.writeCount() - writesBefore).as("200 reports: at most one write per interval, not one each")
                        .isLessThanOrEqualTo(intervals + 1);
                io.micrometer.core.instrument.Timer writes = registry.get("meshplane.traffic.writes").timer();
                org.slf4j.LoggerFactory.getLogger(LoadReportTest.class).info("TRAFFIC WRITES: 200 reports in {} batches; {} batches"
                        + " since start-up, mean {} ms, max {} ms", counters.writeCount() - writesBefore, writes.count(),
                        writes.mean(TimeUnit.MILLISECONDS), writes.max(TimeUnit.MILLISECONDS));
            }
        }
    }

    @Test
    void theWindowIsValidatedAndTheMeshMustExist() throws Exception {
        String mesh = uniqueName("lrs-window");
        appMesh.createMesh(r -> r.meshName(mesh));
        for (String bad : new String[] {"5", "5 m", "-5m", "1d", "0s", "2h", "5s", "5M", "10000000m"}) {
            var response = send("GET", "/v1/meshes/" + mesh + "/traffic?window=" + java.net.URLEncoder.encode(bad,
                    java.nio.charset.StandardCharsets.UTF_8), null);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("BadRequestException");
            assertThat(response.body()).as(bad).contains("window: ");
        }
        JsonNode empty = json(send("GET", "/v1/meshes/" + mesh + "/traffic", null), 200);
        assertThat(empty.get("window").asString()).as("five minutes by default").isEqualTo("5m");
        assertThat(empty.get("windowSeconds").asLong()).isEqualTo(300);
        assertThat(empty.get("edges")).isEmpty();
        assertThat(json(send("GET", "/v1/meshes/" + mesh + "/traffic?window=1h", null), 200).get("windowSeconds").asLong())
                .isEqualTo(3600);
        assertThat(send("GET", "/v1/meshes/" + uniqueName("absent") + "/traffic", null).statusCode()).isEqualTo(404);
    }
}
