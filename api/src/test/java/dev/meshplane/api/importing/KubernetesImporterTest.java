package dev.meshplane.api.importing;

import dev.meshplane.api.resource.ResourceKind;
import static dev.meshplane.api.importing.ImportFixtures.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class KubernetesImporterTest {

    private static final ImportOptions SEED_OPTIONS = new ImportOptions(null, null, true, "user-service-router", Map.of());

    private static ApplyResource find(ImportResult result, ResourceKind kind, String name) {
        return result.document().resources().stream().filter(r -> r.kind() == kind && r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + result.document().toJsonText()));
    }

    @Test
    void theSeedsExamplesImportWithTheAcmAndRouterOptions() {
        ImportResult result = KubernetesImporter.importDocuments(documents(ImportFixtures.seedWithRest()), SEED_OPTIONS);

        ApplyResource v1 = find(result, ResourceKind.VIRTUAL_NODE, "user-service-v1");
        assertThat(v1.meshName()).isEqualTo("mylearning");
        JsonNode listener = v1.spec().get("listeners").get(0);
        assertThat(listener.at("/tls/certificate/sds/secretName").asString()).isEqualTo("meshplane:identity");
        assertThat(listener.at("/tls/certificate/acm").isMissingNode()).isTrue();
        assertThat(listener.at("/healthCheck/path").asString()).isEqualTo("/health");
        assertThat(v1.spec().at("/serviceDiscovery/awsCloudMap/serviceName").asString()).isEqualTo("user-service");
        assertThat(v1.spec().at("/backends/0/virtualService/virtualServiceName").asString())
                .isEqualTo("course-service.mylearning-prod");
        assertThat(v1.spec().at("/backends/1/virtualService/virtualServiceName").asString())
                .isEqualTo("notification-service.mylearning-prod");

        ApplyResource service = find(result, ResourceKind.VIRTUAL_SERVICE, "user-service.mylearning.local");
        assertThat(service.spec().at("/provider/virtualRouter/virtualRouterName").asString())
                .isEqualTo("user-service-router_mylearning-prod");

        ApplyResource canary = find(result, ResourceKind.ROUTE, "user-service-route");
        assertThat(canary.parentName()).isEqualTo("user-service-router_mylearning-prod");
        assertThat(canary.spec().at("/httpRoute/action/weightedTargets/0/virtualNode").asString()).isEqualTo("user-service-v1");
        assertThat(canary.spec().at("/httpRoute/action/weightedTargets/1/weight").asInt()).isEqualTo(10);
        assertThat(canary.spec().at("/httpRoute/retryPolicy/httpRetryEvents").toString())
                .isEqualTo("[\"server-error\",\"gateway-error\",\"client-error\"]");

        ApplyResource abTest = find(result, ResourceKind.ROUTE, "user-service-ab-test");
        assertThat(abTest.parentName()).isEqualTo("user-service-router_mylearning-prod");
        assertThat(abTest.spec().at("/httpRoute/match/headers/0/match/exact").asString()).isEqualTo("premium");
        assertThat(abTest.spec().at("/httpRoute/action/weightedTargets/1/virtualNode").asString())
                .isEqualTo("recommendation-service-ml-v2_mylearning-prod");
        find(result, ResourceKind.ROUTE, "user-service-default");

        assertThat(result.report()).anyMatch(line -> line.contains("user-service-v1") && line.contains("spec.podSelector"));
        assertThat(result.report()).anyMatch(line -> line.contains("spec.namespaceSelector"));
        assertThat(result.report()).anyMatch(line -> line.contains("cloudMap read as awsCloudMap"));
        assertThat(result.report()).anyMatch(line -> line.contains("ACM replaced"));
        // App Mesh wants a retry event of some kind; the seed's A/B route gives none, and it is imported as written
        assertThat(result.report()).contains("seed/ab-test-routes.yaml#0 (Route 'user-service-ab-test' of"
                + " 'user-service-router_mylearning-prod' in mesh 'mylearning'): the API would refuse its spec:"
                + " httpRoute.retryPolicy: at least one of [httpRetryEvents, tcpRetryEvents] must be set");
        assertThat(result.document().resources()).hasSize(13);
    }

    @Test
    void acmCertificatesAreRefusedWithoutTheOptionNamingEachResource() {
        assertThatThrownBy(() -> KubernetesImporter.importDocuments(documents(ImportFixtures.seedWithRest()),
                new ImportOptions(null, null, false, "user-service-router", Map.of())))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("seed/user-service-v1.yaml#0 (VirtualNode 'user-service-v1' in mesh 'mylearning')")
                .hasMessageContaining("spec.listeners[0].tls.certificate.acm")
                .hasMessageContaining("acm=built-in");
    }

    @Test
    void bareRoutesAreRefusedWithoutARouterSayingSo() {
        assertThatThrownBy(() -> KubernetesImporter.importDocuments(documents(ImportFixtures.seedWithRest()),
                new ImportOptions(null, null, true, null, Map.of())))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("seed/ab-test-routes.yaml#0 (Route 'user-service-ab-test')")
                .hasMessageContaining("carries no router")
                .hasMessageContaining("router=");
    }

    @Test
    void referencesToObjectsNotAmongTheDocumentsNameTheField() {
        assertThatThrownBy(() -> KubernetesImporter.importDocuments(documents(ImportFixtures.SEED), new ImportOptions("mylearning", null, true,
                "user-service-router", Map.of())))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("spec.routes[0].httpRoute.action.weightedTargets[1].virtualNodeRef")
                .hasMessageContaining("no VirtualNode 'user-service-v2' in namespace 'mylearning-prod'");
    }

    @Test
    void unknownKindsOfTheAppMeshGroupAreRefusedOthersSkipped() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                ---
                apiVersion: appmesh.k8s.aws/v1beta2
                kind: VirtualMesh
                metadata: {name: m}
                """;
        assertThatThrownBy(() -> KubernetesImporter.importDocuments(YamlDocuments.parse("in.yaml", yaml), ImportOptions.none()))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("in.yaml#1: kind: unknown kind 'VirtualMesh'");
    }

    @Test
    void membersTheApiDoesNotHaveAreRefusedWithTheirPath() {
        String yaml = """
                apiVersion: appmesh.k8s.aws/v1beta2
                kind: VirtualNode
                metadata: {name: web, namespace: shop}
                spec:
                  listeners:
                    - portMapping: {port: 80, protocol: http}
                      healthCheck: {protocl: http}
                """;
        assertThatThrownBy(() -> KubernetesImporter.importDocuments(YamlDocuments.parse("in.yaml", yaml), new ImportOptions("m", null, false, null, Map.of())))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("in.yaml#0 (VirtualNode 'web'): spec.listeners[0].healthCheck.protocl: not a member here");
    }

    @Test
    void malformedYamlNamesTheFileAndLine() {
        assertThatThrownBy(() -> YamlDocuments.parse("bad.yaml", "kind: Mesh\nmetadata: {name: [x\n"))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("bad.yaml#0: not YAML")
                .hasMessageContaining("line ");
    }

    @Test
    void arnsResolveToTheNamesTheyEndIn() {
        String yaml = """
                apiVersion: appmesh.k8s.aws/v1beta2
                kind: VirtualService
                metadata: {name: api, namespace: shop}
                spec:
                  meshRef: {name: shop}
                  provider:
                    virtualNode:
                      virtualNodeARN: arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/api-v1
                ---
                apiVersion: appmesh.k8s.aws/v1beta2
                kind: Mesh
                metadata: {name: shop}
                """;
        ImportResult result = KubernetesImporter.importDocuments(YamlDocuments.parse("in.yaml", yaml), ImportOptions.none());
        assertThat(find(result, ResourceKind.VIRTUAL_SERVICE, "api.shop").spec().at("/provider/virtualNode/virtualNodeName").asString())
                .isEqualTo("api-v1");
    }
}
