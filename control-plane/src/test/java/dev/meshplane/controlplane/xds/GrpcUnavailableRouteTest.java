package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.controlplane.xds.ScriptedGrpcClient.Batch;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.appmesh.model.DurationUnit;
import software.amazon.awssdk.services.appmesh.model.GrpcRetryPolicyEvent;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;

/**
 * Issue 12: a route with no target to send to (here the seed's A/B route, whose recommendation nodes have no listener)
 * is a 503 for Envoy, which gRPC clients cannot take; it used to cost every gRPC client of the node its whole
 * configuration. Now, with real grpc-java, gRPC C-core (Debian's python3-grpcio 1.51) and grpc-js clients of a node
 * with two backends: calls to the other backend, and the bad route's neighbour, succeed; calls matching the bad route
 * fail at once with UNAVAILABLE; no client NACKs; and {@code /v1/proxies} names the route. A third backend's router has no
 * route yet: its empty virtual host, which C-core 1.51 refuses with the whole route configuration, reaches gRPC clients as
 * one route whose calls fail with UNAVAILABLE, as calls matching no route do in the others.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcUnavailableRouteTest extends ServerTest {

    private static final Logger log = LoggerFactory.getLogger(GrpcUnavailableRouteTest.class);
    private static final String RECOMMENDATIONS = "recommendation-service.mylearning.local";
    /** Behind a virtual router with no route yet: an empty virtual host, which C-core 1.51 refuses. */
    private static final String PAYMENTS = "payment-service.mylearning.local";
    private static final Map<String, String> EXPERIMENT = Map.of("x-experiment", "ml");
    /** Far below the calls' 5 s deadline: a call on the bad route fails, it does not wait. */
    private static final long FAIL_FAST_MS = 2000;
    private static final Duration FIRST_CONFIGURATION_BOUND = Duration.ofSeconds(15);

    @Autowired
    ProxyStatusTracker tracker;

    private UserServiceMesh scenario;

    @BeforeAll
    void buildMesh() {
        try {
            // a 3 s route timeout: gRPC Python fails every call under one below about 2 s (see GrpcCoreXdsTest)
            scenario = new UserServiceMesh(uniqueName("grpc-503"), port, 3000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        var admin = scenario.admin;
        String mesh = scenario.mesh;
        // as in the seed's manifests: the A/B route's nodes exist, without a listener yet
        admin.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("recommendation-ml-v1").spec(VirtualNodeSpec.builder().build()));
        admin.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("recommendation-ml-v2").spec(VirtualNodeSpec.builder().build()));
        admin.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("recommendation-router")
                .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(50051).protocol(PortProtocol.GRPC)))));
        admin.createRoute(r -> r.meshName(mesh).virtualRouterName("recommendation-router").routeName("ab-test")
                .spec(s -> s.priority(0).grpcRoute(g -> g
                        .match(m -> m.serviceName("grpc.testing.SimpleService")
                                .metadata(md -> md.name("x-experiment").match(mm -> mm.exact("ml"))))
                        .action(a -> a.weightedTargets(t -> t.virtualNode("recommendation-ml-v1").weight(50),
                                t -> t.virtualNode("recommendation-ml-v2").weight(50)))
                        .retryPolicy(p -> p.maxRetries(2L).perRetryTimeout(d -> d.unit(DurationUnit.MS).value(1000L))
                                .grpcRetryEvents(GrpcRetryPolicyEvent.UNAVAILABLE)))));
        admin.createRoute(r -> r.meshName(mesh).virtualRouterName("recommendation-router").routeName("standard")
                .spec(s -> s.priority(1).grpcRoute(g -> g.match(m -> m.serviceName("grpc.testing.SimpleService"))
                        .action(a -> a.weightedTargets(t -> t.virtualNode("user-v1").weight(1))))));
        admin.createVirtualService(r -> r.meshName(mesh).virtualServiceName(RECOMMENDATIONS)
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("recommendation-router")))));
        admin.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("payment-router")
                .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(50051).protocol(PortProtocol.GRPC)))));
        admin.createVirtualService(r -> r.meshName(mesh).virtualServiceName(PAYMENTS)
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("payment-router")))));
    }

    @AfterAll
    void close() throws Exception {
        scenario.close();
    }

    /** A client node whose backends are the three services. */
    private String clientNode(String name) throws Exception {
        scenario.admin.createVirtualNode(r -> r.meshName(scenario.mesh).virtualNodeName(name).spec(VirtualNodeSpec.builder()
                .backends(b -> b.virtualService(s -> s.virtualServiceName(UserServiceMesh.SERVICE)),
                        b -> b.virtualService(s -> s.virtualServiceName(RECOMMENDATIONS)),
                        b -> b.virtualService(s -> s.virtualServiceName(PAYMENTS))).build()));
        return scenario.grpcBootstrap(name);
    }

    @Test
    void grpcJava() throws Exception {
        String bootstrap = clientNode("frontend-java");
        ManagedChannel users = XdsClients.xdsChannel(bootstrap, UserServiceMesh.SERVICE);
        ManagedChannel recommendations = XdsClients.xdsChannel(bootstrap, RECOMMENDATIONS);
        ManagedChannel payments = XdsClients.xdsChannel(bootstrap, PAYMENTS);
        try {
            assertThat(XdsClients.await(FIRST_CONFIGURATION_BOUND, () -> XdsClients.tryCall(users) != null))
                    .as("the other backend is served").isTrue();
            assertThat(XdsClients.await(FIRST_CONFIGURATION_BOUND, () -> "v1".equals(XdsClients.tryCall(recommendations))))
                    .as("the bad route's neighbour is served").isTrue();
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                StatusRuntimeException failed = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                        () -> SimpleServiceGrpc.newBlockingStub(recommendations).withDeadlineAfter(5, TimeUnit.SECONDS)
                                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(experiment()))
                                .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hi").build()));
                long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
                log.info("grpc-java call on the route without a target: {} after {} ms", failed.getStatus(), ms);
                assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(ms).isLessThan(FAIL_FAST_MS);
            }
            StatusRuntimeException noRoute = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> XdsClients.call(payments));
            assertThat(noRoute.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(XdsClients.call(users)).isIn("v1", "v2");
            assertThat(XdsClients.call(recommendations)).isEqualTo("v1");
            assertServedWithoutNack("frontend-java");
        } finally {
            users.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            recommendations.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            payments.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void grpcCCore() throws Exception {
        try (ScriptedGrpcClient client = ScriptedGrpcClient.cCore(clientNode("frontend-core"), "xds:///" + UserServiceMesh.SERVICE)) {
            scripted("grpc-c-core", client, "frontend-core");
        }
    }

    @Test
    void grpcJs() throws Exception {
        try (ScriptedGrpcClient client = ScriptedGrpcClient.grpcJs(clientNode("frontend-js"), "xds:///" + UserServiceMesh.SERVICE)) {
            scripted("grpc-js", client, "frontend-js");
        }
    }

    /**
     * The way back: a gRPC client whose only route goes to {@code meshplane_unavailable} (its one target has no
     * listener) must be sent the real cluster as soon as the target gains a listener, and grpc-java, C-core and
     * grpc-js must then call it: the cluster switch depends on the target node ({@code Dependencies}), and each client
     * leaves the empty cluster's TRANSIENT_FAILURE for the new one without being restarted.
     */
    @Test
    void aTargetGainingAListenerSwitchesEveryClientBackToItsCluster() throws Exception {
        var admin = scenario.admin;
        String mesh = scenario.mesh;
        String inventory = "inventory-service.mylearning.local";
        admin.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("inventory-v1").spec(VirtualNodeSpec.builder().build()));
        admin.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("inventory-router")
                .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(50051).protocol(PortProtocol.GRPC)))));
        admin.createRoute(r -> r.meshName(mesh).virtualRouterName("inventory-router").routeName("all")
                .spec(s -> s.grpcRoute(g -> g.match(m -> m.serviceName("grpc.testing.SimpleService"))
                        .action(a -> a.weightedTargets(t -> t.virtualNode("inventory-v1").weight(1))))));
        admin.createVirtualService(r -> r.meshName(mesh).virtualServiceName(inventory)
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("inventory-router")))));
        String target = "xds:///" + inventory;
        for (String node : List.of("shop-java", "shop-core", "shop-js")) {
            admin.createVirtualNode(r -> r.meshName(mesh).virtualNodeName(node).spec(VirtualNodeSpec.builder()
                    .backends(b -> b.virtualService(s -> s.virtualServiceName(inventory))).build()));
        }
        ManagedChannel java = XdsClients.xdsChannel(scenario.grpcBootstrap("shop-java"), inventory);
        try (ScriptedGrpcClient core = ScriptedGrpcClient.cCore(scenario.grpcBootstrap("shop-core"), target);
                ScriptedGrpcClient js = ScriptedGrpcClient.grpcJs(scenario.grpcBootstrap("shop-js"), target)) {
            awaitServed(() -> unavailable(java));
            awaitServed(() -> core.calls(1).errors().equals(Map.of("UNAVAILABLE", 1)));
            awaitServed(() -> js.calls(1).errors().equals(Map.of("UNAVAILABLE", 1)));

            admin.updateVirtualNode(r -> r.meshName(mesh).virtualNodeName("inventory-v1").spec(UserServiceMesh.backendNode("v1")));

            awaitServed(() -> "v1".equals(XdsClients.tryCall(java)));
            awaitServed(() -> core.calls(1).counts().equals(Map.of("v1", 1)));
            awaitServed(() -> js.calls(1).counts().equals(Map.of("v1", 1)));
            assertThat(core.calls(10).counts()).isEqualTo(Map.of("v1", 10));
            assertThat(js.calls(10).counts()).isEqualTo(Map.of("v1", 10));
        } finally {
            java.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static boolean unavailable(ManagedChannel channel) {
        try {
            XdsClients.call(channel);
            return false;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.UNAVAILABLE;
        }
    }

    private void scripted(String name, ScriptedGrpcClient client, String node) throws Exception {
        String recommendations = "xds:///" + RECOMMENDATIONS;
        awaitServed(() -> client.calls(1).counts().size() == 1);
        awaitServed(() -> client.callsTo(recommendations, 1, Map.of(), 5000).counts().equals(Map.of("v1", 1)));
        Batch failed = client.callsTo(recommendations, 5, EXPERIMENT, 5000);
        log.info("{} 5 calls on the route without a target: {} in {} ms", name, failed.errors(), failed.ms());
        assertThat(failed.errors()).isEqualTo(Map.of("UNAVAILABLE", 5));
        assertThat(failed.ms()).isLessThan(FAIL_FAST_MS);
        Batch noRoute = client.callsTo("xds:///" + PAYMENTS, 5, Map.of(), 5000);
        log.info("{} 5 calls to a service whose router has no route: {} in {} ms", name, noRoute.errors(), noRoute.ms());
        assertThat(noRoute.errors()).isEqualTo(Map.of("UNAVAILABLE", 5));
        assertThat(client.calls(20).errors()).isEmpty();
        assertThat(client.callsTo(recommendations, 20, Map.of(), 5000).counts()).isEqualTo(Map.of("v1", 20));
        assertServedWithoutNack(node);
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitServed(Check check) throws Exception {
        long deadline = System.nanoTime() + FIRST_CONFIGURATION_BOUND.toNanos();
        while (!check.holds()) {
            assertThat(System.nanoTime()).as("waited %s", FIRST_CONFIGURATION_BOUND).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static Metadata experiment() {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("x-experiment", Metadata.ASCII_STRING_MARSHALLER), "ml");
        return metadata;
    }

    /** The client took every version it was sent, and /v1/proxies names the route that answers UNAVAILABLE. */
    private void assertServedWithoutNack(String node) throws Exception {
        ProxyStatusTracker.ProxyStatus status = tracker.byNodeId("mesh/" + scenario.mesh + "/virtualNode/" + node).orElseThrow();
        assertThat(status.lastNack()).isNull();
        assertThat(status.acked()).isEqualTo(status.sent());
        tools.jackson.databind.JsonNode proxy = null;
        for (tools.jackson.databind.JsonNode listed : json(send("GET", "/v1/proxies", null), 200).get("proxies")) {
            if (listed.get("nodeId").asString().equals(status.nodeId())) {
                proxy = listed;
            }
        }
        assertThat(proxy).as("listed in /v1/proxies").isNotNull();
        assertThat(proxy.hasNonNull("translationError")).as("translation error: %s", proxy.get("translationError")).isFalse();
        assertThat(proxy.get("translationNotes").toString()).contains("route ab-test: every target weighs 0 or is a virtual"
                + " node without a listener; gRPC clients' calls matching it fail with UNAVAILABLE");
    }
}
