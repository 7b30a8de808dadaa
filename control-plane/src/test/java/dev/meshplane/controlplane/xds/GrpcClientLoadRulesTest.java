package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.appmesh.model.DurationUnit;
import software.amazon.awssdk.services.appmesh.model.GrpcRetryPolicyEvent;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.RouteSpec;

/**
 * Issue 12, example 2, end to end with grpc-java: what App Mesh accepts but gRPC's own xDS validation
 * refuses is sent in a form gRPC accepts, or not sent at all and shown in {@code /v1/proxies}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpcClientLoadRulesTest extends ServerTest {

    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    @Autowired
    ProxyStatusTracker tracker;

    private UserServiceMesh scenario;
    private ManagedChannel channel;

    @BeforeAll
    void buildMeshAndConnect() throws Exception {
        scenario = new UserServiceMesh(uniqueName("grpc-rules"), port);
        channel = XdsClients.xdsChannel(scenario.grpcBootstrap("frontend"), UserServiceMesh.SERVICE);
        await(() -> XdsClients.tryCall(channel) != null);
    }

    @AfterAll
    void close() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        scenario.close();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Whether 20 calls in a row succeed and all reach that version: the client has the new route. */
    private boolean onlyFrom(String version) {
        for (int i = 0; i < 20; i++) {
            if (!version.equals(XdsClients.tryCall(channel))) {
                return false;
            }
        }
        return true;
    }

    private void setCanary(long maxRetries, int v1Weight, int v2Weight) {
        setCanary(maxRetries, v1Weight, v2Weight, null);
    }

    /** The canary route; with a per-request timeout of that many seconds unless null. */
    private void setCanary(long maxRetries, int v1Weight, int v2Weight, Long timeoutSeconds) {
        scenario.admin.updateRoute(r -> r.meshName(scenario.mesh).virtualRouterName("user-router").routeName("canary")
                .spec(RouteSpec.builder().priority(10).grpcRoute(g -> {
                    g.match(m -> m.serviceName("grpc.testing.SimpleService"))
                            .action(a -> a.weightedTargets(
                                    t -> t.virtualNode("user-v1").weight(v1Weight),
                                    t -> t.virtualNode("user-v2").weight(v2Weight)))
                            .retryPolicy(p -> p.maxRetries(maxRetries).perRetryTimeout(d -> d.unit(DurationUnit.MS).value(500L))
                                    .grpcRetryEvents(GrpcRetryPolicyEvent.UNAVAILABLE));
                    if (timeoutSeconds != null) {
                        g.timeout(t -> t.perRequest(d -> d.unit(DurationUnit.S).value(timeoutSeconds)));
                    }
                }).build()));
    }

    /**
     * App Mesh durations reach 315,576,000,000 s. grpc-java reads a route's max_stream_duration and a cluster's
     * outlier detection times in nanoseconds with protobuf's checked Durations.toNanos, which overflows above
     * about 292 years: it NACKed the whole route configuration (every call kept the old routes) and the cluster.
     * They now reach it capped at what it reads; a 10,000,000,000 s timeout still cuts no call.
     */
    @Test
    @Order(3)
    void durationsLongerThanGrpcJavaReadsAreServed() throws Exception {
        setCanary(2, 100, 0, 10_000_000_000L);
        await(() -> onlyFrom("v1"));
        String clusters = frontend().sent().get(CDS);
        scenario.admin.updateVirtualNode(r -> r.meshName(scenario.mesh).virtualNodeName("user-v1")
                .spec(UserServiceMesh.backendNode("v1").toBuilder().listeners(l -> l
                        .portMapping(p -> p.port(50051).protocol(PortProtocol.GRPC))
                        .outlierDetection(o -> o.maxServerErrors(5L).maxEjectionPercent(50)
                                .interval(d -> d.unit(DurationUnit.S).value(10L))
                                .baseEjectionDuration(d -> d.unit(DurationUnit.S).value(315_576_000_000L)))).build()));
        await(() -> !clusters.equals(frontend().sent().get(CDS)));
        await(() -> onlyFrom("v1") && frontend().sent().get(CDS).equals(frontend().acked().get(CDS)));
        assertThat(frontend().lastNack()).isNull();
    }

    private ProxyStatusTracker.ProxyStatus frontend() {
        return tracker.byNodeId("mesh/" + scenario.mesh + "/virtualNode/frontend").orElseThrow();
    }

    /**
     * maxRetries 0 (App Mesh allows it) reaches the client as no retry policy; before, grpc-java failed every
     * call ("maxAttempts must be greater than 1: 1") and C-core and grpc-js refused the route configuration.
     */
    @Test
    @Order(1)
    void maxRetriesZeroIsServed() throws Exception {
        setCanary(0, 0, 100);
        await(() -> onlyFrom("v2"));
    }

    /**
     * A route whose targets all weigh 0 (a 503 for Envoy, which gRPC clients cannot take) reaches the client as a route
     * to a cluster without endpoints (issue 12): its calls fail at once with UNAVAILABLE, nothing is withheld or NACKed,
     * /v1/proxies names the route, and the next weights reach the client.
     */
    @Test
    @Order(2)
    void aRouteWithNoTargetToSendToFailsItsCallsWithUnavailable() throws Exception {
        setCanary(2, 0, 0);
        await(() -> {
            try {
                XdsClients.call(channel);
                return false;
            } catch (io.grpc.StatusRuntimeException e) {
                return e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE;
            }
        });
        assertThat(proxies()).doesNotContain("has action DIRECT_RESPONSE").contains("route canary: every target weighs 0"
                + " or is a virtual node without a listener; gRPC clients' calls matching it fail with UNAVAILABLE");
        setCanary(2, 0, 100);
        await(() -> config().contains("\"numRetries\": 2"));
        // sent is not yet taken: grpc-java applies a route configuration on its own executor, so wait (10 s at most)
        await(() -> onlyFrom("v2"));
    }

    private String config() {
        try {
            return send("GET", "/v1/proxies/mesh/" + scenario.mesh + "/virtualNode/frontend/config", null).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String proxies() {
        try {
            return send("GET", "/v1/proxies", null).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
