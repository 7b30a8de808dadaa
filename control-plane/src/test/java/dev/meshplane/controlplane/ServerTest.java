package dev.meshplane.controlplane;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.appmesh.AppMeshClient;

/**
 * The server started on a random port against its embedded PostgreSQL (a fresh data directory per
 * test run), and driven as users drive it: the official AWS SDK App Mesh client and raw HTTP.
 * Every test class shares one server; each test works in meshes of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "meshplane.database.embedded.data-dir=target/test-postgres/${random.uuid}",
    "meshplane.xds.port=0",
    // a test server stops at once, without holding a drain window for streams left open (ReplicasIT tests draining)
    "meshplane.xds.drain-window=0s",
    "meshplane.limits.meshes=10000",
    "meshplane.limits.routes-per-virtual-router=5",
    "meshplane.limits.virtual-gateways-per-mesh=3",
})
public abstract class ServerTest {

    @LocalServerPort
    protected int port;

    protected AppMeshClient appMesh;

    protected final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void connect() {
        appMesh = appMeshClient(port, "AKIDMESHPLANETEST", "not-checked-yet");
    }

    @AfterEach
    void disconnect() {
        appMesh.close();
    }

    /** The AWS SDK client exactly as a user points it at Meshplane: an endpoint override and credentials. */
    public static AppMeshClient appMeshClient(int port, String accessKey, String secret) {
        return AppMeshClient.builder()
                .endpointOverride(URI.create("http://localhost:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    /** A mesh name no other test uses. */
    protected static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** The response's JSON body, once its status is the one expected (the body says why when it is not). */
    protected static tools.jackson.databind.JsonNode json(HttpResponse<String> response, int status) {
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
    }

    protected HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
