package dev.meshplane.controlplane.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.importing.ApplyDocument;
import dev.meshplane.api.importing.ApplyResource;
import dev.meshplane.api.importing.ImportOptions;
import dev.meshplane.api.importing.Imports;
import dev.meshplane.api.importing.YamlDocuments;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.controlplane.ServerTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** GET /v1/meshes/{mesh}/export against a mesh made through the App Mesh API: each format imports back to the mesh. */
class MeshExportTest extends ServerTest {

    private String mesh;

    private void create(String path, String body) throws Exception {
        HttpResponse<String> response = send("PUT", path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private void meshWithResources() throws Exception {
        mesh = uniqueName("export");
        create("/v20190125/meshes", """
                {"meshName": "%s", "spec": {"egressFilter": {"type": "DROP_ALL"}}, "tags": [{"key": "team", "value": "learning"}]}
                """.formatted(mesh));
        for (String version : new String[] {"v1", "v2"}) {
            create("/v20190125/meshes/" + mesh + "/virtualNodes", """
                    {"virtualNodeName": "user-service-%s", "spec": {
                      "listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
                      "serviceDiscovery": {"awsCloudMap": {"namespaceName": "mylearning.local", "serviceName": "user-service",
                        "attributes": [{"key": "version", "value": "%s"}]}},
                      "backends": [{"virtualService": {"virtualServiceName": "course-service.mylearning.local"}}]}}
                    """.formatted(version, version));
        }
        create("/v20190125/meshes/" + mesh + "/virtualRouters", """
                {"virtualRouterName": "user-service-router", "spec": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]}}
                """);
        create("/v20190125/meshes/" + mesh + "/virtualRouter/user-service-router/routes", """
                {"routeName": "canary", "tags": [{"key": "rollout", "value": "10%"}], "spec": {"httpRoute": {
                  "match": {"prefix": "/"},
                  "action": {"weightedTargets": [{"virtualNode": "user-service-v1", "weight": 90},
                                                 {"virtualNode": "user-service-v2", "weight": 10}]},
                  "retryPolicy": {"maxRetries": 3, "perRetryTimeout": {"unit": "ms", "value": 2000},
                                  "httpRetryEvents": ["server-error", "gateway-error"]}}}}
                """);
        create("/v20190125/meshes/" + mesh + "/virtualServices", """
                {"virtualServiceName": "user-service.mylearning.local",
                 "spec": {"provider": {"virtualRouter": {"virtualRouterName": "user-service-router"}}}}
                """);
    }

    private ApplyDocument exported(String format) throws Exception {
        HttpResponse<String> response = send("GET", "/v1/meshes/" + mesh + "/export?format=" + format + "&namespace=mylearning", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Imports.read(YamlDocuments.parse(format, response.body()), ImportOptions.none()).document();
    }

    private static ApplyDocument withoutVersions(ApplyDocument document) {
        return new ApplyDocument(document.resources().stream().map(r -> new ApplyResource(r.kind(), r.meshName(),
                r.parentName(), r.name(), r.spec(), r.tags(), null)).toList());
    }

    @Test
    void eachFormatImportsBackToTheStoredMesh() throws Exception {
        meshWithResources();

        ApplyDocument json = exported("json");
        assertThat(json.resources()).hasSize(6);
        ApplyResource route = json.resources().stream().filter(r -> r.kind() == ResourceKind.ROUTE).findFirst().orElseThrow();
        assertThat(route.parentName()).isEqualTo("user-service-router");
        assertThat(route.version()).isEqualTo(1L);
        assertThat(route.tags()).hasSize(1);
        assertThat(route.spec().at("/httpRoute/action/weightedTargets/1/virtualNode").asString()).isEqualTo("user-service-v2");
        assertThat(json.resources().get(0).spec().at("/egressFilter/type").asString()).isEqualTo("DROP_ALL");

        String expected = withoutVersions(json).toJsonText();
        assertThat(exported("k8s").toJsonText()).isEqualTo(expected);
        assertThat(exported("cloudformation").toJsonText()).isEqualTo(expected);
    }

    @Test
    void aMissingMeshIsNotFoundAndAnUnknownFormatABadRequest() throws Exception {
        HttpResponse<String> missing = send("GET", "/v1/meshes/" + uniqueName("none") + "/export", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        meshWithResources();
        HttpResponse<String> format = send("GET", "/v1/meshes/" + mesh + "/export?format=terraform", null);
        assertThat(format.statusCode()).isEqualTo(400);
        assertThat(format.body()).contains("format: 'terraform' is not one of json, k8s, cloudformation");
    }
}
