package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.MeshplaneApplication;
import io.grpc.ManagedChannel;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import software.amazon.awssdk.services.appmesh.model.ServiceUnavailableException;

/**
 * The database goes away under a connected grpc-java xDS client: the client keeps routing, a proxy
 * connecting meanwhile is configured from memory, writes answer 503 ServiceUnavailableException
 * with Retry-After and store nothing; when the database returns the server recovers by itself, a
 * write succeeds and reaches the client, and no acknowledged write was lost.
 */
class DatabaseOutageTest {

    @TempDir
    Path work;

    private static EmbeddedPostgres database(Path dataDir, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("synchronous_commit", "on").start();
    }


    @Test
    void proxiesKeepTheirConfigurationAndWritesAnswer503UntilTheDatabaseReturns() throws Exception {
        Path dataDir = work.resolve("postgres");
        int dbPort = ReplicaProcess.freePort();
        EmbeddedPostgres db = database(dataDir, dbPort);
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(MeshplaneApplication.class).run(
                "--server.port=0", "--meshplane.xds.port=0",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres",
                "--spring.datasource.username=postgres",
                "--meshplane.security.authentication=disabled", // development mode, explicitly: this test is about outages
                "--spring.datasource.hikari.connection-timeout=1000",
                "--meshplane.xds.resync-interval=1s",
                "--meshplane.database.embedded.data-dir=" + work.resolve("unused"))) {
            int port = ((WebServerApplicationContext) server).getWebServer().getPort();
            try (UserServiceMesh scenario = new UserServiceMesh("outage", port);
                    AppMeshClient noRetries = AppMeshClient.builder().endpointOverride(URI.create("http://localhost:" + port))
                            .region(Region.US_EAST_1)
                            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                            .build()) {
                scenario.client("reporting");
                String reportingBootstrap = scenario.grpcBootstrap("reporting");
                ManagedChannel frontend = XdsClients.xdsChannel(scenario.grpcBootstrap("frontend"), UserServiceMesh.SERVICE);
                ManagedChannel reporting = null;
                try {
                    assertThat(XdsClients.await(Duration.ofSeconds(10), () -> XdsClients.tryCall(frontend) != null))
                            .as("first configuration").isTrue();
                    scenario.setWeights(100, 0);
                    // one v1 could still come from the earlier weights: wait for twenty in a row
                    assertThat(XdsClients.await(Duration.ofSeconds(10),
                            () -> java.util.stream.IntStream.range(0, 20).allMatch(i -> "v1".equals(XdsClients.tryCall(frontend)))))
                            .as("all calls go to v1").isTrue();
                    long acknowledged = scenario.admin.describeRoute(r -> r.meshName("outage")
                            .virtualRouterName("user-router").routeName("canary")).route().metadata().version();

                    db.close(); // the database goes away

                    for (int i = 0; i < 20; i++) {
                        assertThat(XdsClients.call(frontend)).as("the connected client keeps routing").isEqualTo("v1");
                    }
                    assertThatThrownBy(() -> noRetries.updateRoute(r -> r.meshName("outage").virtualRouterName("user-router")
                            .routeName("canary").spec(UserServiceMesh.canary(0, 100))))
                            .isInstanceOfSatisfying(ServiceUnavailableException.class, e -> {
                                assertThat(e.statusCode()).isEqualTo(503);
                                assertThat(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After")).hasValue("5");
                                assertThat(e.awsErrorDetails().errorMessage()).contains("database is unavailable");
                            });
                    Thread.sleep(1500); // a resync comes and goes while the database is away
                    reporting = XdsClients.xdsChannel(reportingBootstrap, UserServiceMesh.SERVICE + ":50051");
                    ManagedChannel late = reporting;
                    assertThat(XdsClients.await(Duration.ofSeconds(10), () -> "v1".equals(XdsClients.tryCall(late))))
                            .as("a proxy connecting during the outage is configured from memory").isTrue();

                    db = database(dataDir, dbPort); // it returns

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
                    assertThat(scenario.admin.describeRoute(r -> r.meshName("outage").virtualRouterName("user-router")
                            .routeName("canary")).route().metadata().version())
                            .as("the refused write stored nothing; the acknowledged ones are all there")
                            .isEqualTo(acknowledged + 1);
                } finally {
                    frontend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    if (reporting != null) {
                        reporting.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    }
                }
            }
        } finally {
            db.close();
        }
    }
}
