package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.MeshplaneApplication;
import io.grpc.ManagedChannel;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.appmesh.AppMeshClient;
import software.amazon.awssdk.services.appmesh.model.DescribeRouteResponse;
import software.amazon.awssdk.services.appmesh.model.ListVirtualNodesResponse;
import software.amazon.awssdk.services.appmesh.model.ServiceUnavailableException;

/**
 * The database goes away under a connected grpc-java xDS client, with the server on its own defaults
 * (no timeout set here: the point is that the shipped settings answer fast). The client keeps
 * routing; a proxy starting meanwhile gets its bootstrap and its configuration from memory; the first
 * write answers 503 ServiceUnavailableException with Retry-After within the documented time, the next
 * ones at once, and nothing is stored; reads this replica answered before are answered from memory
 * with {@code x-meshplane-stale}, others 503 at once. When the database returns the server recovers by
 * itself: a write succeeds, reaches the client, and no acknowledged write was lost. Once with an
 * external PostgreSQL that is stopped, once with the embedded one, frozen (SIGSTOP).
 */
class DatabaseOutageTest {

    /**
     * The documented bound of the first write: connection-timeout (5 s), plus one check of a pooled
     * connection under way when the database froze (validation-timeout, 2 s), plus 1 s for a loaded machine.
     */
    private static final Duration FIRST_ANSWER = Duration.ofSeconds(5 + 2 + 1);
    /** Once the outage is known, a write is refused without waiting for the database. */
    private static final Duration LATER_ANSWER = Duration.ofSeconds(1);

    @TempDir
    Path work;

    private static EmbeddedPostgres database(Path dataDir, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("synchronous_commit", "on").start();
    }

    /** What to do to the database: take it away, bring it back. */
    private interface Outage {
        void begin() throws Exception;

        void end() throws Exception;
    }

    @Test
    void externalDatabaseStopped() throws Exception {
        Path dataDir = work.resolve("postgres");
        int dbPort = ReplicaProcess.freePort();
        EmbeddedPostgres[] db = {database(dataDir, dbPort)};
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(MeshplaneApplication.class).run(
                "--server.port=0", "--meshplane.xds.port=0",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres",
                "--spring.datasource.username=postgres",
                // authentication is another test's subject; with it on, every call would need credentials
                "--meshplane.security.authentication=disabled",
                "--meshplane.database.embedded.data-dir=" + work.resolve("unused"))) {
            outage(port(server), new Outage() {
                @Override
                public void begin() throws Exception {
                    db[0].close();
                }

                @Override
                public void end() throws Exception {
                    db[0] = database(dataDir, dbPort);
                }
            });
        } finally {
            db[0].close();
        }
    }

    /**
     * With authentication on (the external database's default), a caller the replica can check without
     * the database (the bootstrap admin token) still reads from memory; one whose credential is in the
     * database gets the same fast 503 as a write, not a 500 from the authentication filter.
     */
    @Test
    void authenticatedCallsDuringAnOutage() throws Exception {
        Path dataDir = work.resolve("postgres");
        int dbPort = ReplicaProcess.freePort();
        EmbeddedPostgres db = database(dataDir, dbPort);
        String admin = "outage-admin-token";
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(MeshplaneApplication.class).run(
                "--server.port=0", "--meshplane.xds.port=0",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres",
                "--spring.datasource.username=postgres",
                "--meshplane.security.bootstrap-admin-token=" + admin,
                "--meshplane.security.key-file=" + work.resolve("kek"),
                "--meshplane.database.embedded.data-dir=" + work.resolve("unused"))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port(server) + "/v20190125/meshes";
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer " + admin)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"meshName\": \"guarded\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            HttpRequest describe = HttpRequest.newBuilder(URI.create(base + "/guarded"))
                    .header("Authorization", "Bearer " + admin).build();
            HttpRequest unknownToken = HttpRequest.newBuilder(URI.create(base + "/guarded"))
                    .header("Authorization", "Bearer mpt_not-a-token").build();
            assertThat(XdsClients.await(Duration.ofSeconds(10), () -> send(http, describe).statusCode() == 200))
                    .as("read (and kept) once its mesh's change notification has come").isTrue();
            assertThat(send(http, unknownToken).statusCode()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/guarded/virtualNodes"))
                    .header("Authorization", "Bearer " + admin).PUT(HttpRequest.BodyPublishers.ofString(
                            "{\"virtualNodeName\": \"api\", \"spec\": {\"listeners\": [{\"portMapping\":"
                                    + " {\"port\": 8080, \"protocol\": \"http\"}}],"
                                    + " \"serviceDiscovery\": {\"dns\": {\"hostname\": \"api.local\"}}}}")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            String proxyToken = tools.jackson.databind.json.JsonMapper.builder().build().readTree(http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port(server) + "/v1/meshes/guarded/proxyTokens"))
                            .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"virtualNode\": \"api\"}")).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .get("token").asString();
            int xdsPort = server.getBean(XdsServer.class).port();
            io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest cds = io.envoyproxy.envoy.service.discovery.v3
                    .DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/guarded/virtualNode/api"))
                    .setTypeUrl(AdsStream.CDS).build();
            try (AdsStream stream = new AdsStream(xdsPort, proxyToken)) {
                stream.send(cds);
                assertThat(stream.next(10_000)).as("the proxy is configured while the database is up").isNotNull();
            }
            Thread.sleep(1000); // the node's and the token's change notifications come and go: a read after them is kept
            assertThat(send(http, describe).statusCode()).isEqualTo(200);

            db.close();

            long started = System.nanoTime();
            HttpResponse<String> refused = send(http, unknownToken);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("x-amzn-ErrorType")).hasValue("ServiceUnavailableException");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FIRST_ANSWER);
            HttpResponse<String> remembered = send(http, describe);
            assertThat(remembered.statusCode()).as(remembered.body()).isEqualTo(200);
            assertThat(remembered.headers().firstValue("x-meshplane-stale")).isPresent();
            assertThat(remembered.body()).contains("\"meshName\":\"guarded\"");
            try (AdsStream restarting = new AdsStream(xdsPort, proxyToken)) {
                restarting.send(cds);
                assertThat(restarting.next(10_000)).as("a proxy (re)connecting with its proxy token during the outage"
                        + " is admitted on the token's signature and configured from memory").isNotNull();
            }

            db = database(dataDir, dbPort);

            assertThat(XdsClients.await(Duration.ofSeconds(30), () -> send(http, unknownToken).statusCode() == 401))
                    .as("credentials are checked again once the database returns").isTrue();
        } finally {
            db.close();
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void embeddedDatabaseFrozen() throws Exception {
        Path dataDir = work.resolve("data");
        List<Long> frozen = new ArrayList<>();
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(MeshplaneApplication.class).run(
                "--server.port=0", "--meshplane.xds.port=0", "--meshplane.database.embedded.data-dir=" + dataDir)) {
            try {
                outage(port(server), new Outage() {
                    @Override
                    public void begin() throws Exception {
                        // the postmaster first, so it forks nothing more, then every process it started
                        ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(
                                Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim())).orElseThrow();
                        frozen.add(postmaster.pid());
                        postmaster.descendants().forEach(p -> frozen.add(p.pid()));
                        signal("STOP", frozen);
                    }

                    @Override
                    public void end() throws Exception {
                        signal("CONT", frozen);
                        frozen.clear();
                    }
                });
            } finally {
                signal("CONT", frozen); // never leave a frozen PostgreSQL behind, whatever failed
            }
        }
    }

    private static int port(ConfigurableApplicationContext server) {
        return ((WebServerApplicationContext) server).getWebServer().getPort();
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).as(String.join(" ", command)).isZero();
    }

    private static void outage(int port, Outage outage) throws Exception {
        try (UserServiceMesh scenario = new UserServiceMesh("outage", port);
                AppMeshClient noRetries = AppMeshClient.builder().endpointOverride(URI.create("http://localhost:" + port))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                        .build()) {
            scenario.client("reporting");
            ManagedChannel frontend = XdsClients.xdsChannel(scenario.grpcBootstrap("frontend"), UserServiceMesh.SERVICE);
            ManagedChannel reporting = null;
            try {
                assertThat(XdsClients.await(Duration.ofSeconds(10), () -> XdsClients.tryCall(frontend) != null))
                        .as("first configuration").isTrue();
                scenario.setWeights(100, 0);
                // one v1 could still come from the earlier weights: wait for twenty in a row
                assertThat(XdsClients.await(Duration.ofSeconds(10),
                        () -> IntStream.range(0, 20).allMatch(i -> "v1".equals(XdsClients.tryCall(frontend)))))
                        .as("all calls go to v1").isTrue();
                // reads answered now (after the last change) are what the replica holds for the outage
                long acknowledged = describeCanary(noRetries).route().metadata().version();
                List<String> nodes = noRetries.listVirtualNodes(r -> r.meshName("outage")).virtualNodes().stream()
                        .map(n -> n.virtualNodeName()).toList();

                outage.begin();

                for (int i = 0; i < 20; i++) {
                    assertThat(XdsClients.call(frontend)).as("the connected client keeps routing").isEqualTo("v1");
                }
                assertRefusedWithin(FIRST_ANSWER, noRetries, "the first write, which may be the one to find the outage");
                assertRefusedWithin(LATER_ANSWER, noRetries, "a write once the outage is known");

                DescribeRouteResponse remembered = describeCanary(noRetries);
                assertThat(remembered.route().metadata().version()).as("the route as last read").isEqualTo(acknowledged);
                assertThat(remembered.route().metadata().arn()).endsWith("/virtualRouter/user-router/route/canary");
                assertThat(remembered.sdkHttpResponse().firstMatchingHeader("x-meshplane-stale"))
                        .as("a read from memory says so").hasValueSatisfying(age -> assertThat(Long.parseLong(age)).isNotNegative());
                ListVirtualNodesResponse listed = noRetries.listVirtualNodes(r -> r.meshName("outage"));
                assertThat(listed.virtualNodes()).extracting(n -> n.virtualNodeName()).containsExactlyElementsOf(nodes);
                long started = System.nanoTime();
                assertThatThrownBy(() -> noRetries.describeVirtualNode(r -> r.meshName("outage").virtualNodeName("user-v1")))
                        .as("a read this replica never answered").isInstanceOf(ServiceUnavailableException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("and it answers at once").isLessThan(LATER_ANSWER);

                // a proxy starting now fetches its bootstrap: the node is in its mesh as this replica last read it
                HttpResponse<String> bootstrap = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + port + "/v1/meshes/outage/virtualNodes/reporting/bootstrap?format=grpc")).build());
                assertThat(bootstrap.statusCode()).as(bootstrap.body()).isEqualTo(200);
                assertThat(bootstrap.headers().firstValue("x-meshplane-stale")).isPresent();
                reporting = XdsClients.xdsChannel(bootstrap.body(), UserServiceMesh.SERVICE + ":50051");
                ManagedChannel late = reporting;
                assertThat(XdsClients.await(Duration.ofSeconds(10), () -> "v1".equals(XdsClients.tryCall(late))))
                        .as("a proxy connecting during the outage is configured from memory").isTrue();

                outage.end();

                assertThat(XdsClients.await(Duration.ofSeconds(30), () -> {
                    try {
                        noRetries.updateRoute(r -> r.meshName("outage").virtualRouterName("user-router")
                                .routeName("canary").spec(UserServiceMesh.canary(0, 100)));
                        return true;
                    } catch (ServiceUnavailableException notYet) {
                        return false;
                    }
                })).as("writes succeed again without a restart").isTrue();
                assertThat(XdsClients.await(Duration.ofSeconds(10), () -> "v2".equals(XdsClients.tryCall(frontend))))
                        .as("the write reaches the client").isTrue();
                DescribeRouteResponse fresh = describeCanary(noRetries);
                assertThat(fresh.route().metadata().version())
                        .as("the refused writes stored nothing; the acknowledged ones are all there")
                        .isEqualTo(acknowledged + 1);
                assertThat(fresh.sdkHttpResponse().firstMatchingHeader("x-meshplane-stale")).as("read from the database").isEmpty();
            } finally {
                frontend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                if (reporting != null) {
                    reporting.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static DescribeRouteResponse describeCanary(AppMeshClient client) {
        return client.describeRoute(r -> r.meshName("outage").virtualRouterName("user-router").routeName("canary"));
    }

    private static void assertRefusedWithin(Duration limit, AppMeshClient client, String which) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> client.updateRoute(r -> r.meshName("outage").virtualRouterName("user-router")
                .routeName("canary").spec(UserServiceMesh.canary(0, 100))))
                .as(which)
                .isInstanceOfSatisfying(ServiceUnavailableException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After")).hasValue("5");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("database is unavailable");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as(which + " answers within " + limit).isLessThan(limit);
    }
}
