package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.snapshot.ProxyId;
import dev.meshplane.snapshot.ProxyResources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.appmesh.AppMeshClient;

/**
 * grpc-java's own xDS client, bootstrapped from Meshplane's bootstrap API, dials
 * {@code xds:///user-service.mylearning.local}; two plain gRPC backends are found through the
 * registry. The mesh is written with the AWS SDK; every effect is observed in real calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpcJavaXdsTest extends ServerTest {

    private static final Logger log = LoggerFactory.getLogger(GrpcJavaXdsTest.class);
    private static final String SERVICE = UserServiceMesh.SERVICE;
    private static final Metadata.Key<String> SEGMENT = Metadata.Key.of("x-user-segment", Metadata.ASCII_STRING_MARSHALLER);
    private static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(10);

    @Autowired
    ProxyStatusTracker tracker;

    @Autowired
    ProxyCache cache;

    private UserServiceMesh scenario;
    private String mesh;
    private BackendServer v1;
    private BackendServer v2;
    private BackendServer v1b;
    private ManagedChannel channel;
    private AppMeshClient admin;

    @BeforeAll
    void buildMeshAndConnect() throws Exception {
        scenario = new UserServiceMesh(uniqueName("grpc-java"), port);
        mesh = scenario.mesh;
        v1 = scenario.v1;
        v2 = scenario.v2;
        v1b = scenario.v1b;
        admin = scenario.admin;
        channel = xdsChannel(scenario.grpcBootstrap("frontend"), SERVICE);
        awaitTrue("first configuration", () -> tryCall(new Metadata()) != null);
    }

    @AfterAll
    void close() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        scenario.close();
    }

    private String call(Metadata headers) {
        return SimpleServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hi").build())
                .getResponseMessage();
    }

    private String tryCall(Metadata headers) {
        try {
            return call(headers);
        } catch (StatusRuntimeException e) {
            return null;
        }
    }

    private Map<String, Integer> distribution(int calls) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            counts.merge(call(new Metadata()), 1, Integer::sum);
        }
        return counts;
    }

    /** Polls until the condition holds; returns how long it took (the figure the closing note reports). */
    private Duration awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waiting for " + what).isLessThan(CONVERGENCE_BOUND);
            Thread.sleep(5);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("CONVERGENCE {}: {} ms", what, took.toMillis());
        return took;
    }

    @Test
    @Order(1)
    void weightedRouteSplitsNinetyTen() {
        Map<String, Integer> counts = distribution(1000);
        log.info("1000 calls: {}", counts);
        assertThat(counts.keySet()).containsOnly("v1", "v2");
        assertThat(counts.get("v2")).as("10% within 3 points").isBetween(70, 130);
    }

    @Test
    @Order(2)
    void premiumSegmentGoesToV2() {
        Metadata premium = new Metadata();
        premium.put(SEGMENT, "premium");
        for (int i = 0; i < 50; i++) {
            assertThat(call(premium)).isEqualTo("v2");
        }
        Metadata standard = new Metadata();
        standard.put(SEGMENT, "standard");
        assertThat(distribution(200)).containsKey("v1");
    }

    @Test
    @Order(3)
    void retryPolicyTurnsFailedFirstAttemptsIntoSuccess() {
        Metadata failFirst = new Metadata();
        failFirst.put(BackendServer.FAIL_FIRST, "yes");
        int failedBefore = v1.failedAttempts.get() + v2.failedAttempts.get();
        for (int i = 0; i < 20; i++) {
            assertThat(call(failFirst)).isIn("v1", "v2");
        }
        assertThat(v1.failedAttempts.get() + v2.failedAttempts.get() - failedBefore)
                .as("every call failed once and was retried").isEqualTo(20);
    }

    @Test
    @Order(4)
    void routeTimeoutCutsASlowCall() {
        Metadata slow = new Metadata();
        slow.put(BackendServer.SLEEP_MS, "3000");
        long start = System.nanoTime();
        assertThatThrownBy(() -> call(slow)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cut at the route's 500 ms, not the 5 s deadline")
                .isLessThan(Duration.ofMillis(2500));
    }

    @Test
    @Order(5)
    void aNewInstanceReceivesTraffic() throws Exception {
        long before = v1b.calls.get();
        assertThat(scenario.register("v1-b", v1b, "v1").statusCode()).isEqualTo(200);
        awaitTrue("new instance", () -> {
            distribution(20);
            return v1b.calls.get() > before;
        });
    }

    @Test
    @Order(6)
    void aDeregisteredInstanceStopsReceivingTraffic() throws Exception {
        assertThat(scenario.deregister("v1-b").statusCode()).isEqualTo(200);
        awaitTrue("deregistered instance", () -> {
            int before = v1b.calls.get();
            distribution(30);
            return v1b.calls.get() == before;
        });
        int settled = v1b.calls.get();
        distribution(100);
        assertThat(v1b.calls.get()).isEqualTo(settled);
    }

    @Test
    @Order(7)
    void anUnhealthyOrExpiredInstanceStopsReceivingTraffic() throws Exception {
        assertThat(scenario.register("v1-b", v1b, "v1").statusCode()).isEqualTo(200);
        awaitTrue("instance back", () -> {
            int before = v1b.calls.get();
            distribution(20);
            return v1b.calls.get() > before;
        });
        HttpResponse<String> unhealthy = send("PUT", "/v1/registry/mylearning.local/user-service/instances/v1-b",
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"127.0.0.1\",\"AWS_INSTANCE_PORT\":\"" + v1b.port()
                        + "\",\"version\":\"v1\"},\"healthStatus\":\"UNHEALTHY\"}");
        assertThat(unhealthy.statusCode()).isEqualTo(200);
        awaitTrue("unhealthy instance", () -> {
            int before = v1b.calls.get();
            distribution(30);
            return v1b.calls.get() == before;
        });

        // a heartbeat TTL that is not renewed: traffic stops when it runs out
        HttpResponse<String> withTtl = send("PUT", "/v1/registry/mylearning.local/user-service/instances/v1-b",
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"127.0.0.1\",\"AWS_INSTANCE_PORT\":\"" + v1b.port()
                        + "\",\"version\":\"v1\"},\"ttlSeconds\":2}");
        assertThat(withTtl.statusCode()).isEqualTo(200);
        awaitTrue("instance with TTL", () -> {
            int before = v1b.calls.get();
            distribution(20);
            return v1b.calls.get() > before;
        });
        awaitTrue("TTL expiry", () -> {
            int before = v1b.calls.get();
            distribution(30);
            return v1b.calls.get() == before;
        });
        assertThat(send("GET", "/v1/registry/mylearning.local/user-service/instances/v1-b", null).body())
                .contains("\"live\":false");
        assertThat(scenario.deregister("v1-b").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void aWeightChangeReachesTheClient() throws Exception {
        scenario.setWeights(0, 100);
        awaitTrue("weight change", () -> "v2".equals(tryCall(new Metadata())) && distribution(20).keySet().equals(java.util.Set.of("v2")));
        assertThat(distribution(200)).containsOnlyKeys("v2");
        // and back: a cluster the client stopped needing, then needs again, must reach it again
        scenario.setWeights(100, 0);
        awaitTrue("weight change back", () -> "v1".equals(tryCall(new Metadata())) && distribution(20).keySet().equals(java.util.Set.of("v1")));
        assertThat(distribution(200)).containsOnlyKeys("v1");
        scenario.setWeights(0, 100);
        awaitTrue("weight change again", () -> "v2".equals(tryCall(new Metadata())) && distribution(20).keySet().equals(java.util.Set.of("v2")));
    }

    @Test
    @Order(9)
    void anUnrelatedChangeSendsNothing() throws Exception {
        ProxyStatusTracker.ProxyStatus before = frontendStatus();
        String other = uniqueName("other-mesh");
        admin.createMesh(r -> r.meshName(other));
        admin.createVirtualNode(r -> r.meshName(other).virtualNodeName("x").spec(UserServiceMesh.backendNode("v1")));
        send("PUT", "/v1/registry/other-namespace/other-service/instances/i-1",
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"127.0.0.9\"}}");
        admin.tagResource(r -> r.resourceArn("arn:aws:appmesh:us-east-1:123456789012:mesh/" + mesh)
                .tags(t -> t.key("team").value("learning")));
        // a resync of the client's own mesh with nothing changed also sends nothing
        Thread.sleep(1000);
        assertThat(frontendStatus().responses()).as("responses sent to the client").isEqualTo(before.responses());
        assertThat(frontendStatus().sent()).isEqualTo(before.sent());
    }

    @Test
    @Order(10)
    void theProxyApiShowsWhatTheClientWasSent() throws Exception {
        HttpResponse<String> proxies = send("GET", "/v1/proxies", null);
        assertThat(proxies.body()).contains("\"nodeId\":\"mesh/" + mesh + "/virtualNode/frontend\"",
                "\"kind\":\"grpc_client\"", "\"userAgent\":\"gRPC Java\"", "\"Cluster\":{\"sent\":");
        ProxyStatusTracker.ProxyStatus status = frontendStatus();
        assertThat(status.acked()).isEqualTo(status.sent());

        HttpResponse<String> config = send("GET", "/v1/proxies/mesh/" + mesh + "/virtualNode/frontend/config", null);
        assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
        assertThat(config.body()).contains("\"name\": \"" + SERVICE + "\"",
                "cds_egress_" + mesh + "_user-v1_grpc_50051", "\"portValue\": " + v2.port());
        assertThat(send("GET", "/v1/proxies/mesh/" + mesh + "/virtualNode/nobody/config", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(11)
    void aNackIsRecordedAndOtherProxiesKeepReceivingUpdates() throws Exception {
        ProxyId frontend = frontendStatus().proxy();
        // what a translation bug would produce: a cluster with a load balancing policy gRPC does not support
        ProxySnapshot current = cache.snapshot(frontend.groupKey()).orElseThrow();
        List<Cluster> bad = current.get(ResourceType.CLUSTER).resources()
                .values().stream().map(r -> ((Cluster) r.resource()).toBuilder().setLbPolicy(Cluster.LbPolicy.MAGLEV).build())
                .toList();
        ProxyResources resources = new ProxyResources(bad, messages(current, ResourceType.ENDPOINT),
                messages(current, ResourceType.LISTENER), messages(current, ResourceType.ROUTE));
        cache.setSnapshot(frontend, ProxySnapshot.of(resources));
        awaitTrue("NACK recorded", () -> frontendStatus().lastNack() != null);
        ProxyStatusTracker.Nack nack = frontendStatus().lastNack();
        assertThat(nack.typeUrl()).endsWith("Cluster");
        assertThat(nack.message()).isNotBlank();

        HttpResponse<String> proxies = send("GET", "/v1/proxies", null);
        assertThat(proxies.body()).contains("\"nodeId\":\"mesh/" + mesh + "/virtualNode/frontend\"")
                .contains("\"lastNack\"").contains(jsonEscape(nack.message()));
        // the client keeps its last good configuration
        assertThat(call(new Metadata())).isEqualTo("v2");
        long responses = frontendStatus().responses();
        Thread.sleep(500);
        assertThat(frontendStatus().responses()).as("the rejected version is not re-sent in a loop").isEqualTo(responses);

        // another proxy in the mesh keeps receiving updates while this one is stuck
        ManagedChannel second = secondClientChannel();
        try {
            SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(second);
            awaitTrue("second client configured", () -> {
                try {
                    return stub.withDeadlineAfter(2, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance())
                            .getResponseMessage().equals("v2");
                } catch (StatusRuntimeException e) {
                    return false;
                }
            });
            scenario.setWeights(100, 0);
            awaitTrue("update reaches the other client", () -> stub.withDeadlineAfter(2, TimeUnit.SECONDS)
                    .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage().equals("v1"));
        } finally {
            second.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        // and the stuck proxy recovers with the next good configuration
        awaitTrue("recovery after a good configuration", () -> "v1".equals(tryCall(new Metadata())));
    }

    private ManagedChannel secondClientChannel() throws Exception {
        scenario.client("reporting");
        return xdsChannel(scenario.grpcBootstrap("reporting"), SERVICE + ":50051");
    }

    private static ManagedChannel xdsChannel(String bootstrap, String serviceAndPort) {
        return XdsClients.xdsChannel(bootstrap, serviceAndPort);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> messages(ProxySnapshot snapshot, ResourceType type) {
        return snapshot.get(type).resources().values().stream().map(r -> (T) r.resource()).toList();
    }

    private ProxyStatusTracker.ProxyStatus frontendStatus() {
        return tracker.byNodeId("mesh/" + mesh + "/virtualNode/frontend").orElseThrow();
    }

    private static String jsonEscape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").substring(0, Math.min(40, text.length()));
    }
}
