package dev.meshplane.controlplane.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.importing.ApplyDocument;
import dev.meshplane.api.importing.ApplyKinds;
import dev.meshplane.api.importing.ApplyResource;
import dev.meshplane.api.importing.ImportOptions;
import dev.meshplane.api.importing.Imports;
import dev.meshplane.api.importing.SourceDocument;
import dev.meshplane.api.importing.YamlDocuments;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.controlplane.ServerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The seed's Kubernetes examples (the api module's fixtures), imported with acm=built-in and router, created
 * through the App Mesh API one resource at a time: the API accepts every one but the A/B route, whose retry
 * policy names no retry event (App Mesh refuses that too, and the import's report says so), and the export of
 * what was created holds the rest.
 */
class ImportedSeedTest extends ServerTest {

    private static final Path SEED = Path.of("../api/src/test/resources/importing/seed");
    private static final List<ResourceKind> CREATION_ORDER = List.of(ResourceKind.MESH, ResourceKind.VIRTUAL_NODE,
            ResourceKind.VIRTUAL_ROUTER, ResourceKind.ROUTE, ResourceKind.VIRTUAL_SERVICE);

    @Test
    void theImportedSeedIsValidApiInputButTheRouteAppMeshRefusesToo() throws Exception {
        List<SourceDocument> documents = new ArrayList<>();
        for (String file : List.of("user-service.yaml", "user-service-v1.yaml", "ab-test-routes.yaml", "rest-of-mesh.yaml")) {
            documents.addAll(YamlDocuments.parse(file, Files.readString(SEED.resolve(file))));
        }
        String mesh = uniqueName("mylearning");
        ApplyDocument imported = Imports.read(documents, new ImportOptions(null, null, true, "user-service-router", Map.of()))
                .document();
        JsonMapper json = JsonMapper.builder().build();
        for (ResourceKind kind : CREATION_ORDER) {
            for (ApplyResource resource : imported.resources()) {
                if (resource.kind() != kind) {
                    continue;
                }
                ObjectNode body = json.createObjectNode();
                body.put(ApplyKinds.nameMember(kind), kind == ResourceKind.MESH ? mesh : resource.name());
                body.set("spec", resource.spec());
                String path = switch (kind) {
                    case MESH -> "/v20190125/meshes";
                    case ROUTE -> "/v20190125/meshes/" + mesh + "/virtualRouter/" + resource.parentName() + "/routes";
                    default -> "/v20190125/meshes/" + mesh + "/" + kind.arnSegment() + "s";
                };
                var response = send("PUT", path, json.writeValueAsString(body));
                if (resource.name().equals("user-service-ab-test")) {
                    assertThat(response.statusCode()).isEqualTo(400);
                    assertThat(response.body())
                            .contains("spec.httpRoute.retryPolicy: at least one of [httpRetryEvents, tcpRetryEvents] must be set");
                    continue;
                }
                assertThat(response.statusCode()).as(resource.describe() + ": " + response.body()).isEqualTo(200);
            }
        }
        var exported = send("GET", "/v1/meshes/" + mesh + "/export?format=json", null);
        assertThat(exported.statusCode()).isEqualTo(200);
        assertThat(Imports.read(YamlDocuments.parse("export", exported.body()), ImportOptions.none()).document().resources())
                .hasSize(imported.resources().size() - 1);
    }
}
