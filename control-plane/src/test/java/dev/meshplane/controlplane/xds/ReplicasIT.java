package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import io.grpc.ManagedChannel;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.appmesh.AppMeshClient;

/**
 * Two server processes (replicas) on one PostgreSQL, with grpc-java xDS clients: a write through
 * one replica reaches a client of the other; the leader's job moves when the leader stops; a
 * replica stopped with SIGTERM drains its streams and its client reconnects to the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final String MESH = "replicas";

    @TempDir
    static Path work;

    private EmbeddedPostgres database;
    private ReplicaProcess a;
    private ReplicaProcess b;
    private UserServiceMesh scenario;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        database = EmbeddedPostgres.builder().setDataDirectory(work.resolve("postgres")).start();
        String jdbcUrl = database.getJdbcUrl("postgres", "postgres");
        Path jar = Path.of(System.getProperty("test.meshplane.server.jar", "target/meshplane.jar"));
        assertThat(jar).as("the packaged server").exists();
        a = new ReplicaProcess("replica-a", jar, jdbcUrl, work).start();
        b = new ReplicaProcess("replica-b", jar, jdbcUrl, work).start();
        scenario = new UserServiceMesh(MESH, a.httpPort);
        scenario.client("reporting");
    }

    @AfterAll
    void stop() throws Exception {
        if (scenario != null) {
            scenario.close();
        }
        for (ReplicaProcess replica : new ReplicaProcess[] {a, b}) {
            if (replica != null) {
                replica.close();
            }
        }
        if (database != null) {
            database.close();
        }
    }

    private String grpcBootstrap(ReplicaProcess replica, String node) throws Exception {
        HttpResponse<String> response = replica.get("/v1/meshes/" + MESH + "/virtualNodes/" + node + "/bootstrap?format=grpc");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static boolean allCallsGoTo(ManagedChannel channel, String backend) {
        for (int i = 0; i < 10; i++) {
            if (!backend.equals(XdsClients.tryCall(channel))) {
                return false;
            }
        }
        return true;
    }

    @Test
    @Order(1)
    void aClientOfOneReplicaFollowsAWriteThroughTheOther() throws Exception {
        String bootstrap = grpcBootstrap(b, "frontend");
        assertThat(bootstrap).contains("localhost:" + b.xdsPort);
        ManagedChannel channel = XdsClients.xdsChannel(bootstrap, UserServiceMesh.SERVICE);
        try {
            assertThat(XdsClients.await(Duration.ofSeconds(20), () -> XdsClients.tryCall(channel) != null))
                    .as("configured by replica B").isTrue();
            scenario.setWeights(0, 100); // through replica A
            assertThat(XdsClients.await(Duration.ofSeconds(10), () -> allCallsGoTo(channel, "v2")))
                    .as("a route change written through A reaches B's client").isTrue();
            assertThat(b.get("/v1/proxies").body()).contains("mesh/" + MESH + "/virtualNode/frontend");
            assertThat(a.get("/v1/proxies").body()).doesNotContain("mesh/" + MESH + "/virtualNode/frontend");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(2)
    void theLeadersJobMovesWhenTheLeaderStops() throws Exception {
        assertThat(XdsClients.await(Duration.ofSeconds(10),
                () -> a.gauge("meshplane_leader") + b.gauge("meshplane_leader") == 1)).as("exactly one leader").isTrue();
        ReplicaProcess leader = a.gauge("meshplane_leader") == 1 ? a : b;
        ReplicaProcess follower = leader == a ? b : a;

        leader.terminate();
        assertThat(leader.awaitExit(30)).isTrue(); // the stopped leader must really end: asserted, not skipped
        assertThat(XdsClients.await(Duration.ofSeconds(10), () -> follower.gauge("meshplane_leader") == 1))
                .as("the other replica takes over").isTrue();

        // the job itself now runs there: an instance whose one-second TTL runs out is expired
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + follower.httpPort
                        + "/v1/registry/mylearning.local/user-service/instances/short-lived"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"127.0.0.1\","
                        + "\"AWS_INSTANCE_PORT\":\"1\",\"version\":\"v9\"},\"ttlSeconds\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        assertThat(XdsClients.await(Duration.ofSeconds(10), this::shortLivedExpired)).as("expired by the new leader").isTrue();

        leader.start(); // back for the next test, now as a follower
        assertThat(leader.gauge("meshplane_leader")).isZero();
    }

    private boolean shortLivedExpired() {
        try (Connection connection = database.getPostgresDatabase().getConnection();
                ResultSet row = connection.createStatement().executeQuery(
                        "select expiry_notified from registry_instance where instance_id = 'short-lived'")) {
            return row.next() && row.getBoolean(1);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    @Test
    @Order(3)
    void aTerminatedReplicaDrainsItsStreamsAndItsClientMovesToTheOther() throws Exception {
        try (TcpFront front = new TcpFront(List.of(a.xdsPort, b.xdsPort))) {
            String bootstrap = grpcBootstrap(a, "reporting").replace("localhost:" + a.xdsPort, "localhost:" + front.port());
            ManagedChannel channel = XdsClients.xdsChannel(bootstrap, UserServiceMesh.SERVICE + ":50051");
            try (AppMeshClient throughB = ServerTest.appMeshClient(b.httpPort, "AKID", "secret")) {
                assertThat(XdsClients.await(Duration.ofSeconds(20), () -> XdsClients.tryCall(channel) != null)).isTrue();
                String node = "mesh/" + MESH + "/virtualNode/reporting";
                assertThat(a.get("/v1/proxies").body()).as("connected to A through the front").contains(node);

                long terminated = System.currentTimeMillis();
                a.terminate();
                // for its whole drain window (2 s here) it tells load balancers it takes no more traffic
                List<String> seen = new java.util.ArrayList<>();
                boolean refusing = XdsClients.await(Duration.ofSeconds(10), () -> {
                    try {
                        int status = a.get("/actuator/health/readiness").statusCode();
                        seen.add((System.currentTimeMillis() - terminated) + "ms:" + status);
                        return status == 503;
                    } catch (Exception stoppedAlready) {
                        seen.add((System.currentTimeMillis() - terminated) + "ms:" + stoppedAlready.getClass().getSimpleName());
                        return false;
                    }
                });
                assertThat(refusing).as("readiness went false on SIGTERM; seen %s; SIGTERM at %s; log:%n%s",
                        seen, java.time.Instant.ofEpochMilli(terminated), a.logText()).isTrue();
                assertThat(a.awaitExit(30)).isTrue(); // the drained replica must end after its drain window: asserted
                // the client's ADS stream, and its load reporting stream when it is open already: its clusters carry
                // lrs_server: self, and grpc-java opens LRS on its own thread after a call has picked one, so at
                // SIGTERM the replica holds one or two of this client's streams, and drains what it holds
                assertThat(a.logText()).containsPattern("Draining [12] xDS streams");
                assertThat(XdsClients.await(Duration.ofSeconds(20), () -> {
                    try {
                        return b.get("/v1/proxies").body().contains(node);
                    } catch (Exception e) {
                        return false;
                    }
                })).as("the client reconnected to B").isTrue();

                throughB.updateRoute(r -> r.meshName(MESH).virtualRouterName("user-router").routeName("canary")
                        .spec(UserServiceMesh.canary(100, 0)));
                assertThat(XdsClients.await(Duration.ofSeconds(10), () -> allCallsGoTo(channel, "v1")))
                        .as("and follows changes from B").isTrue();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
