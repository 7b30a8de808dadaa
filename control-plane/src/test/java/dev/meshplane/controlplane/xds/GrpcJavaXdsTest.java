package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.snapshot.ProxyId;
import dev.meshplane.snapshot.ProxyResources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
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
import software.amazon.awssdk.services.appmesh.model.DurationUnit;
import software.amazon.awssdk.services.appmesh.model.GrpcRetryPolicyEvent;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.RouteSpec;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;

/**
 * grpc-java's own xDS client, bootstrapped from Meshplane's bootstrap API, dials
 * {@code xds:///user-service.mylearning.local}; two plain gRPC backends are found through the
 * registry. The mesh is written with the AWS SDK; every effect is observed in real calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpcJavaXdsTest extends ServerTest {

    private static final Logger log = LoggerFactory.getLogger(GrpcJavaXdsTest.class);
    private static final String SERVICE = "user-service.mylearning.local";
    private static final Metadata.Key<String> SEGMENT = Metadata.Key.of("x-user-segment", Metadata.ASCII_STRING_MARSHALLER);
    private static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(10);

    @Autowired
    ProxyStatusTracker tracker;

    @Autowired
    ProxyCache cache;

    private String mesh;
    private BackendServer v1;
    private BackendServer v2;
    private BackendServer v1b;
    private ManagedChannel channel;
    private AppMeshClient admin;

    @BeforeAll
    void buildMeshAndConnect() throws Exception {
        mesh = uniqueName("grpc-mesh");
        v1 = new BackendServer("v1");
        v2 = new BackendServer("v2");
        v1b = new BackendServer("v1b");
        admin = appMeshClient(port, "AKID", "secret");
        admin.createMesh(r -> r.meshName(mesh));
        admin.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-v1").spec(backendNode("v1")));
        admin.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-v2").spec(backendNode("v2")));
        admin.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("frontend").spec(VirtualNodeSpec.builder()
                .backends(b -> b.virtualService(s -> s.virtualServiceName(SERVICE))).build()));
        admin.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("user-router")
                .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(50051).protocol(PortProtocol.GRPC)))));
        admin.createRoute(r -> r.meshName(mesh).virtualRouterName("user-router").routeName("canary").spec(canary(90, 10)));
        admin.createRoute(r -> r.meshName(mesh).virtualRouterName("user-router").routeName("premium")
                .spec(RouteSpec.builder().priority(1).grpcRoute(g -> g
                        .match(m -> m.serviceName("grpc.testing.SimpleService")
                                .metadata(md -> md.name("x-user-segment").match(mm -> mm.exact("premium"))))
                        .action(a -> a.weightedTargets(t -> t.virtualNode("user-v2").weight(1)))).build()));
        admin.createVirtualService(r -> r.meshName(mesh).virtualServiceName(SERVICE)
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("user-router")))));
        register("v1-a", v1, "v1");
        register("v2-a", v2, "v2");

        HttpResponse<String> bootstrap = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/frontend/bootstrap?format=grpc", null);
        assertThat(bootstrap.statusCode()).as(bootstrap.body()).isEqualTo(200);
        channel = xdsChannel(bootstrap.body(), "xds:///" + SERVICE);
        awaitTrue("first configuration", () -> tryCall(new Metadata()) != null);
    }

    @AfterAll
    void close() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        admin.close();
        v1.close();
        v2.close();
        v1b.close();
    }

    static VirtualNodeSpec backendNode(String version) {
        return VirtualNodeSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(50051).protocol(PortProtocol.GRPC)))
                .serviceDiscovery(d -> d.awsCloudMap(c -> c.namespaceName("mylearning.local").serviceName("user-service")
                        .attributes(a -> a.key("version").value(version))))
                .build();
    }

    static RouteSpec canary(int v1Weight, int v2Weight) {
        return RouteSpec.builder().priority(10).grpcRoute(g -> g
                .match(m -> m.serviceName("grpc.testing.SimpleService"))
                .action(a -> a.weightedTargets(
                        t -> t.virtualNode("user-v1").weight(v1Weight),
                        t -> t.virtualNode("user-v2").weight(v2Weight)))
                .retryPolicy(r -> r.maxRetries(2L).perRetryTimeout(d -> d.unit(DurationUnit.MS).value(1000L))
                        .grpcRetryEvents(GrpcRetryPolicyEvent.UNAVAILABLE))
                .timeout(t -> t.perRequest(d -> d.unit(DurationUnit.MS).value(500L))))
                .build();
    }

    private void register(String id, BackendServer server, String version) throws Exception {
        HttpResponse<String> response = send("PUT", "/v1/registry/mylearning.local/user-service/instances/" + id,
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"127.0.0.1\",\"AWS_INSTANCE_PORT\":\"" + server.port()
                        + "\",\"version\":\"" + version + "\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
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
        register("v1-b", v1b, "v1");
        awaitTrue("new instance", () -> {
            distribution(20);
            return v1b.calls.get() > before;
        });
    }

    @Test
    @Order(6)
    void aDeregisteredInstanceStopsReceivingTraffic() throws Exception {
        HttpResponse<String> response = send("DELETE", "/v1/registry/mylearning.local/user-service/instances/v1-b", null);
        assertThat(response.statusCode()).isEqualTo(200);
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
    void aWeightChangeReachesTheClient() throws Exception {
        admin.updateRoute(r -> r.meshName(mesh).virtualRouterName("user-router").routeName("canary").spec(canary(0, 100)));
        awaitTrue("weight change", () -> "v2".equals(tryCall(new Metadata())) && distribution(20).keySet().equals(java.util.Set.of("v2")));
        assertThat(distribution(200)).containsOnlyKeys("v2");
    }

    @Test
    @Order(8)
    void anUnrelatedChangeSendsNothing() throws Exception {
        ProxyStatusTracker.ProxyStatus before = frontendStatus();
        String other = uniqueName("other-mesh");
        admin.createMesh(r -> r.meshName(other));
        admin.createVirtualNode(r -> r.meshName(other).virtualNodeName("x").spec(backendNode("v1")));
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
    @Order(9)
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
    @Order(10)
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
            admin.updateRoute(r -> r.meshName(mesh).virtualRouterName("user-router").routeName("canary").spec(canary(100, 0)));
            awaitTrue("update reaches the other client", () -> stub.withDeadlineAfter(2, TimeUnit.SECONDS)
                    .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage().equals("v1"));
        } finally {
            second.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        // and the stuck proxy recovers with the next good configuration
        awaitTrue("recovery after a good configuration", () -> "v1".equals(tryCall(new Metadata())));
    }

    private ManagedChannel secondClientChannel() throws Exception {
        admin.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("reporting").spec(VirtualNodeSpec.builder()
                .backends(b -> b.virtualService(s -> s.virtualServiceName(SERVICE))).build()));
        HttpResponse<String> bootstrap = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/reporting/bootstrap?format=grpc", null);
        // another target, so grpc-java creates another xDS client with this bootstrap (another node id)
        return xdsChannel(bootstrap.body(), "xds:///" + SERVICE + ":50051");
    }

    /**
     * A channel whose xDS client reads the given bootstrap. grpc-java reads the bootstrap when it first
     * creates an xDS client for a target, from this system property among other places.
     */
    private static ManagedChannel xdsChannel(String bootstrap, String target) {
        System.setProperty("io.grpc.xds.bootstrapConfig", bootstrap);
        return Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
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
