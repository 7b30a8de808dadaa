package dev.meshplane.controlplane.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.importing.ApplyDocument;
import dev.meshplane.api.importing.ApplyResource;
import dev.meshplane.api.importing.ImportOptions;
import dev.meshplane.api.importing.Imports;
import dev.meshplane.api.importing.SourceDocument;
import dev.meshplane.api.importing.YamlDocuments;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.controlplane.ServerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed's Kubernetes examples (the api module's fixtures), imported with acm=built-in and router, created
 * through the App Mesh API one resource at a time: the API accepts every one but the A/B route, whose retry
 * policy names no retry event (App Mesh refuses that too, and the import's report says so), and the export of
 * what was created holds the rest.
 */
class ImportedSeedTest extends ServerTest {

    private static final Path SEED = Path.of("../api/src/test/resources/importing/seed");

    @Test
    void theImportedSeedIsValidApiInputButTheRouteAppMeshRefusesToo() throws Exception {
        List<SourceDocument> documents = new ArrayList<>();
        for (String file : List.of("user-service.yaml", "user-service-v1.yaml", "ab-test-routes.yaml", "rest-of-mesh.yaml")) {
            documents.addAll(YamlDocuments.parse(file, Files.readString(SEED.resolve(file))));
        }
        ApplyDocument read = Imports.read(documents, new ImportOptions(null, null, true, "user-service-router", Map.of(), null))
                .document();
        // a mesh of this test's own, as the server is shared
        String mesh = uniqueName("mylearning");
        ApplyDocument imported = new ApplyDocument(read.resources().stream().map(r -> new ApplyResource(r.kind(), mesh,
                r.parentName(), r.kind() == ResourceKind.MESH ? mesh : r.name(), r.spec(), r.tags(), null)).toList());
        Map<String, HttpResponse<String>> answers = ResourcesThroughApi.create(port, imported);
        answers.forEach((resource, response) -> {
            if (resource.startsWith("Route 'user-service-ab-test'")) {
                assertThat(response.statusCode()).isEqualTo(400);
                assertThat(response.body())
                        .contains("spec.httpRoute.retryPolicy: at least one of [httpRetryEvents, tcpRetryEvents] must be set");
            } else {
                assertThat(response.statusCode()).as(resource + ": " + response.body()).isEqualTo(200);
            }
        });
        assertThat(answers).hasSize(imported.resources().size());
        var exported = send("GET", "/v1/meshes/" + mesh + "/export?format=json", null);
        assertThat(exported.statusCode()).isEqualTo(200);
        assertThat(Imports.read(YamlDocuments.parse("export", exported.body()), ImportOptions.none()).document().resources())
                .hasSize(imported.resources().size() - 1);
    }
}
