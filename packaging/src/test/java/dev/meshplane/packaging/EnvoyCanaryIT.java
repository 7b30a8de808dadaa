package dev.meshplane.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.appmesh.AppMeshClient;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.RouteSpec;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;

/**
 * A real Envoy (the official image, through Testcontainers) bootstrapped from Meshplane's bootstrap
 * API routes HTTP 90/10 between two versions of user-service. It needs a Docker engine: where none
 * is found it is skipped, saying so (this machine and CI have none).
 */
class EnvoyCanaryIT {

    private static final String ENVOY_IMAGE = "envoyproxy/envoy:v1.31-latest";
    private static final String HOST_FROM_CONTAINERS = "host.testcontainers.internal";

    @TempDir
    Path work;

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpServer backend(String text) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(0), 0);
        server.createContext("/", exchange -> {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static VirtualNodeSpec onHost(int port) {
        return VirtualNodeSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(port).protocol(PortProtocol.HTTP)))
                .serviceDiscovery(d -> d.dns(n -> n.hostname(HOST_FROM_CONTAINERS))).build();
    }

    @Test
    void envoyBootstrappedFromMeshplaneSplitsNinetyTen() throws Exception {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "skipped: no Docker engine found, and this test runs a real Envoy container through Testcontainers");

        int httpPort = freePort();
        int xdsPort = freePort();
        HttpServer v1 = backend("user-service v1");
        HttpServer v2 = backend("user-service v2");
        Path jar = Path.of(System.getProperty("test.meshplane.server.jar", "../control-plane/target/meshplane.jar"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--server.port=" + httpPort, "--meshplane.xds.port=" + xdsPort,
                "--meshplane.xds.advertised-host=" + HOST_FROM_CONTAINERS,
                "--meshplane.database.embedded.data-dir=" + work.resolve("postgres")));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        try (AppMeshClient appMesh = AppMeshClient.builder().endpointOverride(URI.create("http://localhost:" + httpPort))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"))).build()) {
            long deadline = System.currentTimeMillis() + 90_000;
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/actuator/health/readiness"))
                            .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // starting
                }
                assertThat(System.currentTimeMillis()).as("server ready").isLessThan(deadline);
                Thread.sleep(200);
            }
            String mesh = "envoy-demo";
            appMesh.createMesh(r -> r.meshName(mesh));
            appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-service-v1").spec(onHost(v1.getAddress().getPort())));
            appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-service-v2").spec(onHost(v2.getAddress().getPort())));
            appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("user-service-router")
                    .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))));
            appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("user-service-router").routeName("canary")
                    .spec(RouteSpec.builder().httpRoute(h -> h.match(m -> m.prefix("/")).action(a -> a.weightedTargets(
                            t -> t.virtualNode("user-service-v1").weight(90),
                            t -> t.virtualNode("user-service-v2").weight(10)))).build()));
            appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("user-service.mylearning.local")
                    .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("user-service-router")))));
            appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("frontend").spec(VirtualNodeSpec.builder()
                    .backends(b -> b.virtualService(s -> s.virtualServiceName("user-service.mylearning.local"))).build()));
            String bootstrap = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort
                    + "/v1/meshes/" + mesh + "/virtualNodes/frontend/bootstrap?directEgress=8080")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(bootstrap).contains(HOST_FROM_CONTAINERS);

            Testcontainers.exposeHostPorts(xdsPort, v1.getAddress().getPort(), v2.getAddress().getPort());
            try (GenericContainer<?> envoy = new GenericContainer<>(ENVOY_IMAGE)
                    .withCopyToContainer(Transferable.of(bootstrap), "/etc/envoy/bootstrap.json")
                    .withCommand("envoy", "-c", "/etc/envoy/bootstrap.json")
                    .withExposedPorts(8080, 9901)
                    .waitingFor(Wait.forHttp("/ready").forPort(9901))) {
                envoy.start();
                // no iptables in the container: the bootstrap's direct egress listener on 8080 serves the egress routes
                URI egress = URI.create("http://" + envoy.getHost() + ":" + envoy.getMappedPort(8080) + "/");
                // the Host header is restricted in the JDK client; failsafe allows it (jdk.httpclient.allowRestrictedHeaders)
                HttpRequest call = HttpRequest.newBuilder(egress).header("Host", "user-service.mylearning.local:8080").build();
                long configured = System.currentTimeMillis() + 30_000;
                while (http.send(call, HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
                    assertThat(System.currentTimeMillis()).as("Envoy configured over ADS").isLessThan(configured);
                    Thread.sleep(200);
                }
                Map<String, Integer> counts = new HashMap<>();
                for (int i = 0; i < 1000; i++) {
                    counts.merge(http.send(call, HttpResponse.BodyHandlers.ofString()).body().trim(), 1, Integer::sum);
                }
                assertThat(counts.keySet()).containsOnly("user-service v1", "user-service v2");
                assertThat(counts.get("user-service v2")).as("10% of 1000 within 4 points").isBetween(60, 140);
            }
        } finally {
            server.destroy();
            server.waitFor();
            v1.stop(0);
            v2.stop(0);
        }
    }
}
