package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.importing.ApplyDocument;
import dev.meshplane.api.importing.ImportOptions;
import dev.meshplane.api.importing.Imports;
import dev.meshplane.api.importing.YamlDocuments;
import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.controlplane.export.ResourcesThroughApi;
import io.grpc.ManagedChannel;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A CDK-shaped CloudFormation stack imported, created through the App Mesh API, and used: a proxyless grpc-java
 * client of the imported frontend node dials the imported service and its calls are split between the two
 * imported versions, found through the registry as their Cloud Map discovery says.
 */
class ImportedMeshRoutingTest extends ServerTest {

    @Test
    void aProxylessClientRoutesThroughAnImportedTemplate() throws Exception {
        String mesh = uniqueName("imported");
        String namespace = uniqueName("imported") + ".local";
        ApplyDocument document = Imports.read(
                YamlDocuments.parse("grpc-stack.yaml", Files.readString(Path.of("src/test/resources/importing/grpc-stack.yaml"))),
                new ImportOptions(null, null, false, null, Map.of("MeshName", mesh, "CloudMapNamespace", namespace), null))
                .document();
        ResourcesThroughApi.create(port, document).forEach((resource, response) ->
                assertThat(response.statusCode()).as(resource + ": " + response.body()).isEqualTo(200));

        try (BackendServer v1 = new BackendServer("v1"); BackendServer v2 = new BackendServer("v2")) {
            register(namespace, "v1-a", v1, "v1");
            register(namespace, "v2-a", v2, "v2");
            HttpResponse<String> bootstrap = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/frontend/bootstrap?format=grpc", null);
            assertThat(bootstrap.statusCode()).as(bootstrap.body()).isEqualTo(200);
            ManagedChannel channel = XdsClients.xdsChannel(bootstrap.body(), "users." + namespace);
            try {
                assertThat(XdsClients.await(Duration.ofSeconds(10), () -> XdsClients.tryCall(channel) != null))
                        .as("the first call through the imported mesh").isTrue();
                Map<String, Integer> counts = new HashMap<>();
                for (int i = 0; i < 200; i++) {
                    counts.merge(XdsClients.call(channel), 1, Integer::sum);
                }
                assertThat(counts.keySet()).containsExactlyInAnyOrder("v1", "v2");
                assertThat(counts.get("v2")).as("50% of 200, within 15 points").isBetween(70, 130);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private void register(String namespace, String id, BackendServer server, String version) throws Exception {
        HttpResponse<String> response = send("PUT", "/v1/registry/" + namespace + "/users/instances/" + id,
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"127.0.0.1\",\"AWS_INSTANCE_PORT\":\"" + server.port()
                        + "\",\"version\":\"" + version + "\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
