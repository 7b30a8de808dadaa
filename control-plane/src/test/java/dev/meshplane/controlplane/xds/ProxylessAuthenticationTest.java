package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Proxyless grpc-java with authentication on and TLS on the xDS port from the built-in CA: the
 * bootstrap names the {@code meshplane} channel credentials (meshplane-grpc-credentials), which
 * trust the CA file and send the node's proxy token from a file. The client is served; a token for
 * another node gets nothing; after the token is replaced in its file and the old one revoked, the
 * client's new stream authenticates with the new token and keeps receiving changes.
 */
@TestPropertySource(properties = {"meshplane.security.authentication=enabled",
        "meshplane.security.bootstrap-admin-token=" + ProxylessAuthenticationTest.ADMIN, "meshplane.xds.tls.built-in=true"})
class ProxylessAuthenticationTest extends ServerTest {

    static final String ADMIN = "bootstrap-secret-for-proxyless";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SERVICE = "users.proxyless.local";
    private static final Path FILES;

    static {
        try {
            FILES = Files.createTempDirectory("meshplane-proxyless");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void caFile(DynamicPropertyRegistry registry) {
        registry.add("meshplane.xds.tls.proxy-ca-file", () -> FILES.resolve("xds-ca.pem").toString());
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", "Bearer " + ADMIN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        return json(call(method, path, body), 200);
    }

    private static Server backend(int port, String name) throws IOException {
        return Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
                    @Override
                    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> response) {
                        response.onNext(SimpleResponse.newBuilder().setResponseMessage(name).build());
                        response.onCompleted();
                    }
                }).build().start();
    }

    private void instance(int port) throws Exception {
        ok("PUT", "/v1/registry/proxyless.local/users/instances/u1", "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"127.0.0.1\","
                + "\"AWS_INSTANCE_PORT\":\"" + port + "\"}}");
    }

    @Test
    void aProxylessClientAuthenticatesWithItsTokenFileOverTlsAndTakesUpANewToken() throws Exception {
        String mesh = uniqueName("proxyless");
        int first = ReplicaProcess.freePort();
        int second = ReplicaProcess.freePort();
        ok("PUT", "/v20190125/meshes", "{\"meshName\":\"" + mesh + "\"}");
        ok("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", "{\"virtualNodeName\":\"users\",\"spec\":{\"listeners\":"
                + "[{\"portMapping\":{\"port\":" + first + ",\"protocol\":\"grpc\"}}],\"serviceDiscovery\":{\"awsCloudMap\":"
                + "{\"namespaceName\":\"proxyless.local\",\"serviceName\":\"users\"}}}}");
        ok("PUT", "/v20190125/meshes/" + mesh + "/virtualServices", "{\"virtualServiceName\":\"" + SERVICE + "\",\"spec\":"
                + "{\"provider\":{\"virtualNode\":{\"virtualNodeName\":\"users\"}}}}");
        ok("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", "{\"virtualNodeName\":\"frontend\",\"spec\":{\"backends\":"
                + "[{\"virtualService\":{\"virtualServiceName\":\"" + SERVICE + "\"}}]}}");
        instance(first);

        HttpResponse<String> ca = call("GET", "/v1/xds/ca", null);
        assertThat(ca.statusCode()).isEqualTo(200);
        Files.writeString(FILES.resolve("xds-ca.pem"), ca.body());
        JsonNode token = ok("POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"frontend\"}");
        Path tokenFile = Files.writeString(FILES.resolve("frontend-token"), token.get("token").asString() + "\n");
        Path otherTokenFile = Files.writeString(FILES.resolve("users-token"),
                ok("POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"users\"}").get("token").asString());

        String bootstrap = call("GET", "/v1/meshes/" + mesh + "/virtualNodes/frontend/bootstrap?format=grpc&tokenFile=" + tokenFile,
                null).body();
        JsonNode credentials = JSON.readTree(bootstrap).at("/xds_servers/0/channel_creds");
        assertThat(credentials.get(0).get("type").asString()).isEqualTo("meshplane");
        assertThat(credentials.get(0).at("/config/token_file").asString()).isEqualTo(tokenFile.toString());
        assertThat(credentials.get(0).at("/config/ca_certificate_file").asString()).isEqualTo(FILES.resolve("xds-ca.pem").toString());
        assertThat(credentials.get(1).get("type").asString()).as("for gRPC without the jar").isEqualTo("tls");
        String impostorBootstrap = call("GET", "/v1/meshes/" + mesh + "/virtualNodes/frontend/bootstrap?format=grpc&tokenFile="
                + otherTokenFile, null).body();

        Server firstBackend = backend(first, "first");
        Server secondBackend = backend(second, "second");
        ManagedChannel client = XdsClients.xdsChannel(bootstrap, SERVICE);
        ManagedChannel impostor = XdsClients.xdsChannel(impostorBootstrap, SERVICE);
        try {
            assertThat(XdsClients.await(Duration.ofSeconds(20), () -> "first".equals(XdsClients.tryCall(client))))
                    .as("served over TLS with its own token").isTrue();

            AtomicReference<String> refused = new AtomicReference<>();
            try {
                XdsClients.call(impostor);
            } catch (StatusRuntimeException e) {
                refused.set(e.getStatus().toString());
            }
            assertThat(refused.get()).as("a token for another node: no configuration").isNotNull()
                    .contains("is not the node this credential was issued for");

            // a new token in the file, the old one revoked: the stream is cut, the next one carries the new token
            String renewed = ok("POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"frontend\"}").get("token").asString();
            Files.writeString(FILES.resolve("frontend-token.tmp"), renewed);
            Files.move(FILES.resolve("frontend-token.tmp"), tokenFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            ok("DELETE", "/v1/meshes/" + mesh + "/proxyTokens/" + token.get("id").asString(), null);
            Thread.sleep(6000); // revocation reaches open streams within 5 s
            instance(second);
            assertThat(XdsClients.await(Duration.ofSeconds(30), () -> "second".equals(XdsClients.tryCall(client))))
                    .as("a change after the old token was revoked reached the client").isTrue();
        } finally {
            client.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            impostor.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            firstBackend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            secondBackend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
