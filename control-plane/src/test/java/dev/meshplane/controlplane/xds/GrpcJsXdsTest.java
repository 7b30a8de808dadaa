package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.controlplane.xds.ScriptedGrpcClient.Batch;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same scenario as {@link GrpcJavaXdsTest} with @grpc/grpc-js-xds from npm, a client that
 * sends its node only on the first request of the stream and shares one stream for every target.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpcJsXdsTest extends ServerTest {

    private static final Logger log = LoggerFactory.getLogger(GrpcJsXdsTest.class);
    private static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(10);

    private UserServiceMesh scenario;
    private ScriptedGrpcClient client;

    @BeforeAll
    void start() throws Exception {
        scenario = new UserServiceMesh(uniqueName("grpc-js"), port);
        client = ScriptedGrpcClient.grpcJs(scenario.grpcBootstrap("frontend"), "xds:///" + UserServiceMesh.SERVICE);
        awaitTrue("first configuration", () -> client.calls(1).counts().size() == 1);
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        scenario.close();
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private void awaitTrue(String what, Check check) throws Exception {
        long start = System.nanoTime();
        while (!check.holds()) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waiting for " + what).isLessThan(CONVERGENCE_BOUND);
            Thread.sleep(5);
        }
        log.info("CONVERGENCE grpc-js {}: {} ms", what, Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    @Test
    @Order(1)
    void weightedRouteSplitsNinetyTen() throws Exception {
        Batch batch = client.calls(1000);
        log.info("grpc-js 1000 calls: {} in {} ms", batch.counts(), batch.ms());
        assertThat(batch.errors()).isEmpty();
        assertThat(batch.counts().keySet()).containsOnly("v1", "v2");
        assertThat(batch.counts().get("v2")).as("10% within 3 points").isBetween(70, 130);
    }

    @Test
    @Order(2)
    void premiumSegmentGoesToV2() throws Exception {
        assertThat(client.calls(50, Map.of("x-user-segment", "premium"), 5000).counts()).isEqualTo(Map.of("v2", 50));
    }

    @Test
    @Order(3)
    void retryPolicyTurnsFailedFirstAttemptsIntoSuccess() throws Exception {
        int failedBefore = scenario.v1.failedAttempts.get() + scenario.v2.failedAttempts.get();
        Batch batch = client.calls(20, Map.of("x-fail-first", "yes"), 5000);
        assertThat(batch.errors()).isEmpty();
        assertThat(batch.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
        assertThat(scenario.v1.failedAttempts.get() + scenario.v2.failedAttempts.get() - failedBefore).isEqualTo(20);
    }

    @Test
    @Order(4)
    void routeTimeoutCutsASlowCall() throws Exception {
        Batch batch = client.calls(1, Map.of("x-sleep-ms", "3000"), 5000);
        assertThat(batch.errors()).isEqualTo(Map.of("DEADLINE_EXCEEDED", 1));
        assertThat(batch.ms()).as("cut at the route's 500 ms, not the 5 s deadline").isLessThan(2500);
    }

    @Test
    @Order(5)
    void aNewInstanceReceivesTraffic() throws Exception {
        int before = scenario.v1b.calls.get();
        assertThat(scenario.register("v1-b", scenario.v1b, "v1").statusCode()).isEqualTo(200);
        awaitTrue("new instance", () -> {
            client.calls(20);
            return scenario.v1b.calls.get() > before;
        });
    }

    @Test
    @Order(6)
    void aDeregisteredInstanceStopsReceivingTraffic() throws Exception {
        assertThat(scenario.deregister("v1-b").statusCode()).isEqualTo(200);
        awaitTrue("deregistered instance", () -> {
            int before = scenario.v1b.calls.get();
            client.calls(30);
            return scenario.v1b.calls.get() == before;
        });
        int settled = scenario.v1b.calls.get();
        client.calls(100);
        assertThat(scenario.v1b.calls.get()).isEqualTo(settled);
    }

    @Test
    @Order(7)
    void aWeightChangeReachesTheClient() throws Exception {
        scenario.setWeights(0, 100);
        awaitTrue("weight change", () -> client.calls(20).counts().keySet().equals(java.util.Set.of("v2")));
        assertThat(client.calls(200).counts()).containsOnlyKeys("v2");
    }

    /**
     * grpc-js anchors a regex as {@code ^<regex>$} (matcher.ts, SafeRegexValueMatcher), so an alternation
     * {@code premium|gold} read as {@code ^premium|gold$} matched "premium-trial" and "not-gold", which Envoy,
     * grpc-java and C-core (a full match) send to the canary: the regex now reaches gRPC clients as one group.
     */
    @Test
    @Order(8)
    void aRegexAlternationMatchesWholeValuesAsInEnvoy() throws Exception {
        scenario.setWeights(100, 0);
        scenario.admin.updateRoute(r -> r.meshName(scenario.mesh).virtualRouterName("user-router").routeName("premium")
                .spec(software.amazon.awssdk.services.appmesh.model.RouteSpec.builder().priority(1).grpcRoute(g -> g
                        .match(m -> m.serviceName("grpc.testing.SimpleService")
                                .metadata(md -> md.name("x-user-segment").match(mm -> mm.regex("premium|gold"))))
                        .action(a -> a.weightedTargets(t -> t.virtualNode("user-v2").weight(1)))).build()));
        awaitTrue("regex route", () -> client.calls(5, Map.of("x-user-segment", "gold"), 5000).counts()
                .equals(Map.of("v2", 5)) && client.calls(5).counts().equals(Map.of("v1", 5)));
        assertThat(client.calls(10, Map.of("x-user-segment", "premium"), 5000).counts()).isEqualTo(Map.of("v2", 10));
        assertThat(client.calls(10, Map.of("x-user-segment", "premium-trial"), 5000).counts()).isEqualTo(Map.of("v1", 10));
        assertThat(client.calls(10, Map.of("x-user-segment", "not-gold"), 5000).counts()).isEqualTo(Map.of("v1", 10));
    }

    /**
     * Two registrations at one address and port (an instance registered again under a new id) became one endpoint
     * twice, and grpc-js refused the whole assignment ("address is a duplicate of another address in the same
     * endpoint"): later changes to that node's instances never reached it. The address now appears once.
     */
    @Test
    @Order(9)
    void anAddressRegisteredTwiceLeavesTheEndpointsUsable() throws Exception {
        assertThat(scenario.register("v1-again", scenario.v1, "v1").statusCode()).isEqualTo(200);
        int before = scenario.v1b.calls.get();
        assertThat(scenario.register("v1-b", scenario.v1b, "v1").statusCode()).isEqualTo(200);
        awaitTrue("instance after a duplicate", () -> {
            client.calls(20);
            return scenario.v1b.calls.get() > before;
        });
        assertThat(scenario.deregister("v1-b").statusCode()).isEqualTo(200);
        assertThat(scenario.deregister("v1-again").statusCode()).isEqualTo(200);
    }
}
