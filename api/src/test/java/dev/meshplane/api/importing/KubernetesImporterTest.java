package dev.meshplane.api.importing;

import dev.meshplane.api.resource.ResourceKind;
import static dev.meshplane.api.importing.ImportFixtures.documents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class KubernetesImporterTest {

    private static final ImportOptions SEED_OPTIONS = new ImportOptions(null, null, true, "user-service-router", Map.of(), null);

    private static ApplyResource find(ImportResult result, ResourceKind kind, String name) {
        return result.document().resources().stream().filter(r -> r.kind() == kind && r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + result.document().toJsonText()));
    }

    @Test
    void theSeedsExamplesImportWithTheAcmAndRouterOptions() {
        // through Imports, as the command and the server read files: its report joins the importer's
        ImportResult result = Imports.read(documents(ImportFixtures.seedWithRest()), SEED_OPTIONS);

        ApplyResource v1 = find(result, ResourceKind.VIRTUAL_NODE, "user-service-v1");
        assertThat(v1.meshName()).isEqualTo("mylearning-prod-mesh");
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
        // App Mesh wants a retry event of some kind; the seed's A/B route gives none, and it is imported as written,
        // with one line saying App Mesh refused it too and what to write instead
        assertThat(result.report()).containsOnlyOnce("seed/ab-test-routes.yaml#0 (Route 'user-service-ab-test' of"
                + " 'user-service-router_mylearning-prod' in mesh 'mylearning-prod-mesh'): App Mesh refuses this spec too, and so"
                + " will the apply; change the document: spec.httpRoute.retryPolicy: at least one of [httpRetryEvents,"
                + " tcpRetryEvents] must be set: App Mesh retries only on the events listed and refuses a policy with"
                + " none; list the failures to retry, e.g. httpRetryEvents [server-error, gateway-error]");
        assertThat(result.document().resources()).hasSize(13);
    }

    @Test
    void acmCertificatesAreRefusedWithoutTheOptionNamingEachResource() {
        assertThatThrownBy(() -> KubernetesImporter.importDocuments(documents(ImportFixtures.seedWithRest()),
                new ImportOptions(null, null, false, "user-service-router", Map.of(), null)))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("seed/user-service-v1.yaml#0 (VirtualNode 'user-service-v1' in mesh 'mylearning-prod-mesh')")
                .hasMessageContaining("spec.listeners[0].tls.certificate.acm")
                .hasMessageContaining("acm=built-in");
    }

    @Test
    void bareRoutesAreRefusedWithoutARouterSayingSo() {
        assertThatThrownBy(() -> KubernetesImporter.importDocuments(documents(ImportFixtures.seedWithRest()),
                new ImportOptions(null, null, true, null, Map.of(), null)))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("seed/ab-test-routes.yaml#0 (Route 'user-service-ab-test')")
                .hasMessageContaining("carries no router")
                .hasMessageContaining("router=");
    }

    @Test
    void referencesToObjectsNotAmongTheDocumentsNameTheField() {
        assertThatThrownBy(() -> KubernetesImporter.importDocuments(documents(ImportFixtures.SEED), new ImportOptions("mylearning-prod-mesh", null, true,
                "user-service-router", Map.of(), null)))
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
        assertThatThrownBy(() -> KubernetesImporter.importDocuments(YamlDocuments.parse("in.yaml", yaml), new ImportOptions("m", null, false, null, Map.of(), null)))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("in.yaml#0 (VirtualNode 'web'): spec.listeners[0].healthCheck.protocl: not a member here");
    }

    /**
     * The App Mesh controller's webhook (webhooks/appmesh/virtualnode_validator.go) refused such a VirtualNode: "ServiceDiscovery
     * must be specified when a listener is specified"; the import says so naming the file, resource and member.
     */
    @Test
    void aListenerWithoutServiceDiscoveryIsReportedAsRefusedNamingTheFileAndMember() {
        String yaml = """
                apiVersion: appmesh.k8s.aws/v1beta2
                kind: VirtualNode
                metadata: {name: web, namespace: shop}
                spec:
                  listeners: [{portMapping: {port: 80, protocol: http}}]
                """;
        ImportResult result = KubernetesImporter.importDocuments(YamlDocuments.parse("in.yaml", yaml),
                new ImportOptions("m", null, false, null, Map.of(), null));
        assertThat(result.report()).anyMatch(line -> line.startsWith("in.yaml#0 (VirtualNode 'web_shop' in mesh 'm'):"
                + " App Mesh refuses this spec too, and so will the apply; change the document: spec.serviceDiscovery:"
                + " is required when the node has listeners"));
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

    private static final String MEMBERSHIP = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {mesh: shop, team: web}}
            ---
            apiVersion: appmesh.k8s.aws/v1beta2
            kind: Mesh
            metadata: {name: shop}
            spec: {namespaceSelector: {matchLabels: {mesh: shop}}}
            ---
            apiVersion: appmesh.k8s.aws/v1beta2
            kind: Mesh
            metadata: {name: other}
            spec:
              namespaceSelector:
                matchExpressions: [{key: mesh, operator: In, values: [other]}]
            ---
            apiVersion: appmesh.k8s.aws/v1beta2
            kind: VirtualGateway
            metadata: {name: public, namespace: shop}
            spec:
              namespaceSelector: {matchLabels: {team: web}}
              gatewayRouteSelector: {matchLabels: {gateway: public}}
            ---
            apiVersion: appmesh.k8s.aws/v1beta2
            kind: VirtualGateway
            metadata: {name: internal, namespace: shop}
            spec:
              namespaceSelector: {matchExpressions: [{key: team, operator: Exists}]}
              gatewayRouteSelector: {matchLabels: {gateway: internal}}
            ---
            apiVersion: appmesh.k8s.aws/v1beta2
            kind: GatewayRoute
            metadata: {name: home, namespace: shop, labels: {gateway: internal}}
            spec:
              httpRoute:
                match: {prefix: /}
                action: {target: {virtualService: {virtualServiceARN: "arn:aws:appmesh:eu-west-1:1:mesh/shop/virtualService/web"}}}
            """;

    @Test
    void meshesAndGatewaysAreDesignatedAsTheControllerDoesByNamespaceAndRouteLabels() {
        ImportResult result = KubernetesImporter.importDocuments(YamlDocuments.parse("in.yaml", MEMBERSHIP), ImportOptions.none());

        ApplyResource gateway = find(result, ResourceKind.VIRTUAL_GATEWAY, "public_shop");
        assertThat(gateway.meshName()).isEqualTo("shop");
        ApplyResource route = find(result, ResourceKind.GATEWAY_ROUTE, "home_shop");
        assertThat(route.parentName()).isEqualTo("internal_shop");
        assertThat(route.meshName()).isEqualTo("shop");
        assertThat(result.report()).anyMatch(line -> line.startsWith("in.yaml#0: Namespace 'shop' read for its labels"));
    }

    @Test
    void aGatewayRouteMoreThanOneGatewaySelectsIsRefusedNamingThem() {
        String ambiguous = MEMBERSHIP.replace("gatewayRouteSelector: {matchLabels: {gateway: public}}", "gatewayRouteSelector: {}");
        assertThatThrownBy(() -> KubernetesImporter.importDocuments(YamlDocuments.parse("in.yaml", ambiguous), ImportOptions.none()))
                .hasMessage("in.yaml#5 (GatewayRoute 'home'): spec.virtualGatewayRef: none given, and 2 VirtualGateways select it"
                        + " by namespaceSelector and gatewayRouteSelector (shop/internal, shop/public); the controller needs exactly one");
    }

    @Test
    void withoutItsNamespaceAGatewayRouteNeedsTheGatewayOption() {
        String noNamespace = MEMBERSHIP.substring(MEMBERSHIP.indexOf("---") + 4);
        assertThatThrownBy(() -> KubernetesImporter.importDocuments(YamlDocuments.parse("in.yaml", noNamespace),
                new ImportOptions("shop", null, false, null, Map.of(), null)))
                .hasMessageContaining("(GatewayRoute 'home'): spec.virtualGatewayRef: none given, its Namespace 'shop' is not among")
                .hasMessageContaining("gateway=<VirtualGateway name>");
        ImportResult result = KubernetesImporter.importDocuments(YamlDocuments.parse("in.yaml", noNamespace),
                new ImportOptions("shop", null, false, null, Map.of(), "public"));
        assertThat(find(result, ResourceKind.GATEWAY_ROUTE, "home_shop").parentName()).isEqualTo("public_shop");
    }

    @Test
    void aSelectorOperatorKubernetesDoesNotHaveIsRefused() {
        String wrong = MEMBERSHIP.replace("operator: Exists", "operator: Present");
        assertThatThrownBy(() -> KubernetesImporter.importDocuments(YamlDocuments.parse("in.yaml", wrong), ImportOptions.none()))
                .hasMessageContaining("(VirtualGateway 'internal'): spec.namespaceSelector.matchExpressions: operator 'Present'");
    }

    @Test
    void aKubectlListDumpImportsWithItsMeshRefsAndStatusIgnored() {
        String dump = """
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: appmesh.k8s.aws/v1beta2
                    kind: Mesh
                    metadata: {name: shop, uid: 5d1e, resourceVersion: "42", managedFields: [{manager: kubectl}]}
                    spec: {awsName: shop-mesh, egressFilter: {type: ALLOW_ALL}}
                    status: {meshARN: "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop-mesh", observedGeneration: 1}
                  - apiVersion: appmesh.k8s.aws/v1beta2
                    kind: VirtualNode
                    metadata: {name: web, namespace: shop, uid: 77aa}
                    spec:
                      awsName: web_shop
                      meshRef: {name: shop, uid: 5d1e}
                      listeners: [{portMapping: {port: 80, protocol: http}}]
                      serviceDiscovery: {dns: {hostname: web.shop.svc.cluster.local}}
                    status: {conditions: [{type: VirtualNodeActive, status: "True"}]}
                """;
        ImportResult result = KubernetesImporter.importDocuments(YamlDocuments.parse("dump.yaml", dump), ImportOptions.none());
        assertThat(find(result, ResourceKind.VIRTUAL_NODE, "web_shop").meshName()).isEqualTo("shop-mesh");
        assertThat(find(result, ResourceKind.MESH, "shop-mesh").spec().at("/egressFilter/type").asString()).isEqualTo("ALLOW_ALL");
    }

    @Test
    void membersOfTheWrongShapeAreRefusedNamingTheFieldNeverThrownAsSomethingElse() {
        // each was a JsonNodeException or NullPointerException (a 500 from POST /v1/apply) or silently read otherwise
        String mesh = "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: m}\n";
        String namespace = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: web}}\n";
        String node = "---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata: {name: api, namespace: shop}\n";
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put(mesh.replace("{name: m}", "{name: m, annotations: {appmesh.meshplane.dev/tags: {key: a}}}"),
                "in.yaml#0 (Mesh 'm'): metadata.annotations.appmesh.meshplane.dev/tags: a text value (JSON) is needed");
        refused.put(mesh.replace("{name: m}", "{name: m, annotations: {appmesh.meshplane.dev/tags: '[{\"key\": \"a\","
                + " \"key\": \"b\", \"value\": \"c\"}]'}}"),
                "in.yaml#0 (Mesh 'm'): metadata.annotations.appmesh.meshplane.dev/tags: not a JSON list of tags: Duplicate");
        refused.put(mesh + "spec: {namespaceSelector: {matchLabels: {team: {name: web}}}}\n" + namespace + node,
                "in.yaml#0 (Mesh 'm'): spec.namespaceSelector.matchLabels.team: a text value is needed");
        refused.put(mesh + "spec: {namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [[web]]}]}}\n"
                + namespace + node, "in.yaml#0 (Mesh 'm'): spec.namespaceSelector.matchExpressions[0].values[0]: a text value is needed");
        refused.put(mesh + node + "spec: {backendGroups: {name: all}}\n",
                "in.yaml#1 (VirtualNode 'api'): spec.backendGroups: a list of references is needed");
        refused.put(mesh + node.replace("namespace: shop", "namespace: {name: shop}"),
                "in.yaml#1 (VirtualNode 'api'): metadata.namespace: a name is needed");
        refused.forEach((yaml, message) -> assertThatThrownBy(() -> KubernetesImporter.importDocuments(
                YamlDocuments.parse("in.yaml", yaml), ImportOptions.none()))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith(message));
    }
}
