package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/apply} with {@code appmesh.k8s.aws/v1beta2} YAML and CloudFormation bodies, against the real
 * server and its PostgreSQL: the seed's Kubernetes examples applied with {@code acm=built-in} and {@code router}
 * (refused as a whole, naming the A/B route's document, until its retry policy names an event; then created,
 * with the import's notes), a CDK-shaped template with parameters, and bodies that are refused naming the
 * document and field with nothing stored.
 */
class ApplyFormatsTest extends ServerTest {

    private static final Path SEED = Path.of("../api/src/test/resources/importing/seed");
    private static final List<String> SEED_FILES = List.of("user-service.yaml", "user-service-v1.yaml",
            "ab-test-routes.yaml", "rest-of-mesh.yaml");

    private HttpResponse<String> post(String query, String contentType, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/v1/apply" + query))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The seed's four files as one multi-document stream, its mesh renamed to {@code mesh} (the server is shared). */
    private static String seedYaml(String mesh) throws Exception {
        List<String> texts = new ArrayList<>();
        for (String file : SEED_FILES) {
            texts.add(Files.readString(SEED.resolve(file)).replace("name: mylearning-prod-mesh\n", "name: " + mesh + "\n"));
        }
        return String.join("\n---\n", texts);
    }

    private int meshStatus(String mesh) throws Exception {
        return send("GET", "/v20190125/meshes/" + mesh, null).statusCode();
    }

    @Test
    void theSeedsYamlIsRefusedNamingTheAbRouteDocumentThenAppliedWhenItIsFixed() throws Exception {
        String mesh = uniqueName("mylearning");
        String yaml = seedYaml(mesh);
        assertThat(yaml).contains("name: " + mesh + "\n");

        HttpResponse<String> refused = post("?acm=built-in&router=user-service-router", "application/yaml", yaml);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
        // the A/B route is the first document of ab-test-routes.yaml, after the two files' 2 + 1 documents
        assertThat(json(refused, 400).path("message").asString())
                .startsWith("request body#3 (route 'user-service-ab-test' of virtual router"
                        + " 'user-service-router_mylearning-prod' in mesh '" + mesh + "'): ")
                .contains("spec.httpRoute.retryPolicy: at least one of [httpRetryEvents, tcpRetryEvents] must be set");
        assertThat(meshStatus(mesh)).as("nothing stored").isEqualTo(404);

        String fixed = yaml.replace("      maxRetries: 2\n", "      maxRetries: 2\n      httpRetryEvents: [server-error]\n");
        assertThat(fixed).isNotEqualTo(yaml);
        JsonNode dryRun = json(post("?acm=built-in&router=user-service-router&dryRun=true", "application/x-yaml", fixed), 200);
        assertThat(dryRun.path("dryRun").asBoolean()).isTrue();
        assertThat(meshStatus(mesh)).as("a dry run stores nothing").isEqualTo(404);

        JsonNode applied = json(post("?acm=built-in&router=user-service-router", "application/yaml", fixed), 200);
        assertThat(applied.path("plan").size()).isEqualTo(dryRun.path("plan").size()).isGreaterThan(10);
        applied.path("plan").forEach(entry -> assertThat(entry.path("action").asString()).as(entry.toString()).isEqualTo("created"));
        assertThat(applied.path("plan").toString()).contains("user-service-ab-test");
        assertThat(applied.path("notes").toString()).as("the import report comes back").contains("namespaceSelector");
        assertThat(meshStatus(mesh)).isEqualTo(200);
        HttpResponse<String> route = send("GET", "/v20190125/meshes/" + mesh
                + "/virtualRouter/user-service-router_mylearning-prod/routes/user-service-ab-test", null);
        assertThat(json(route, 200).path("spec").path("httpRoute").path("retryPolicy").path("httpRetryEvents").toString())
                .isEqualTo("[\"server-error\"]");

        JsonNode again = json(post("?acm=built-in&router=user-service-router", "application/yaml", fixed), 200);
        again.path("plan").forEach(entry -> assertThat(entry.path("action").asString()).as(entry.toString()).isEqualTo("unchanged"));
    }

    @Test
    void theSeedsYamlNeedsTheAcmAndRouterChoices() throws Exception {
        String mesh = uniqueName("mylearning");
        String yaml = seedYaml(mesh).replace("      maxRetries: 2\n", "      maxRetries: 2\n      httpRetryEvents: [server-error]\n");
        HttpResponse<String> noAcm = post("?router=user-service-router", "application/yaml", yaml);
        assertThat(json(noAcm, 400).path("message").asString()).contains("--acm=built-in");
        HttpResponse<String> noRouter = post("?acm=built-in", "application/yaml", yaml);
        assertThat(json(noRouter, 400).path("message").asString()).contains("user-service-ab-test").contains("router");
        assertThat(meshStatus(mesh)).isEqualTo(404);
    }

    @Test
    void aCloudFormationTemplateAppliesWithItsParameters() throws Exception {
        String mesh = uniqueName("cfn");
        String template = Files.readString(Path.of("src/test/resources/importing/grpc-stack.yaml"));
        String query = "?format=cloudformation&parameter=MeshName=" + mesh + "&parameter=CloudMapNamespace=" + mesh + ".local";

        HttpResponse<String> asKubernetes = post("?format=k8s", "application/yaml", template);
        assertThat(json(asKubernetes, 400).path("message").asString())
                .isEqualTo("request body#0: format=k8s takes Kubernetes objects (apiVersion, kind); this document is not one");
        HttpResponse<String> missingParameter = post("?format=cloudformation", "application/yaml", template);
        assertThat(json(missingParameter, 400).path("message").asString()).contains("MeshName");

        JsonNode applied = json(post(query, "application/yaml", template), 200);
        assertThat(applied.path("plan").size()).isEqualTo(7);
        applied.path("plan").forEach(entry -> assertThat(entry.path("action").asString()).isEqualTo("created"));
        assertThat(meshStatus(mesh)).isEqualTo(200);
        // the same template as JSON text, with the format left to the importers
        JsonNode again = json(post(query.replace("format=cloudformation", "format=auto"), "application/json", template), 200);
        again.path("plan").forEach(entry -> assertThat(entry.path("action").asString()).isEqualTo("unchanged"));
    }

    /** An apply document in YAML takes every kind the JSON one takes, authorization policies included. */
    @Test
    void aYamlApplyDocumentCarriesItsAuthorizationPolicies() throws Exception {
        String mesh = uniqueName("yaml-policy");
        HttpResponse<String> applied = post("", "application/yaml", """
                resources:
                  - {kind: Mesh, meshName: %1$s}
                  - kind: VirtualNode
                    meshName: %1$s
                    virtualNodeName: api
                    spec: {listeners: [{portMapping: {port: 8080, protocol: http}}], serviceDiscovery: {dns: {hostname: api.local}}}
                  - kind: AuthorizationPolicy
                    meshName: %1$s
                    policyName: deny-admin
                    spec: {targets: {virtualNodes: [api]}, action: DENY, rules: [{to: {prefixes: [/admin]}}]}
                """.formatted(mesh));
        JsonNode plan = json(applied, 200).get("plan");
        assertThat(plan.findValuesAsString("kind")).containsExactly("Mesh", "VirtualNode", "AuthorizationPolicy");
        assertThat(plan.findValuesAsString("action")).containsOnly("created");
        HttpResponse<String> policy = send("GET", "/v1/meshes/" + mesh + "/authorizationPolicies/deny-admin", null);
        assertThat(policy.statusCode()).as(policy.body()).isEqualTo(200);
        assertThat(policy.body()).contains("/admin");
    }

    @Test
    void malformedOrOversizedBodiesAndBadOptionsAreRefusedNamingWhatIsWrong() throws Exception {
        HttpResponse<String> notYaml = post("", "application/yaml", "apiVersion: appmesh.k8s.aws/v1beta2\nkind: [Mesh\n");
        assertThat(json(notYaml, 400).path("message").asString()).startsWith("request body#0: not YAML:").contains("line");

        String deep = "a: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        assertThat(json(post("", "application/yaml", deep), 400).path("message").asString()).contains("nest");

        HttpResponse<String> tooLarge = post("", "application/yaml", "# " + "x".repeat(2 * 1024 * 1024) + "\n");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("larger than 1048576 bytes");

        assertThat(json(post("?format=xml", "application/yaml", "a: 1\n"), 400).path("message").asString())
                .isEqualTo("format: 'xml' is not one of json, k8s, cloudformation, auto");
        assertThat(json(post("?acm=private", "application/yaml", "a: 1\n"), 400).path("message").asString())
                .startsWith("acm: 'private' is not supported");
        assertThat(json(post("?parameter=MeshName", "application/yaml", "a: 1\n"), 400).path("message").asString())
                .isEqualTo("parameter: 'MeshName' is not Key=Value");
        assertThat(json(post("?acm=built-in", "application/json", "{\"resources\":[]}"), 400).path("message").asString())
                .startsWith("format: the import options");
        assertThat(json(post("", "application/yaml", "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Gizmo\nmetadata: {name: g}\n"),
                400).path("message").asString()).contains("request body#0").contains("Gizmo");
        assertThat(json(post("", "application/yaml", "# nothing\n"), 400).path("message").asString())
                .isEqualTo("request body: holds no document");
    }

    @Test
    void parserAbuseIsA400NamingTheFieldNeverA500NorAHang() throws Exception {
        String mesh = uniqueName("abuse");
        java.util.Map<String, String> bodies = new java.util.LinkedHashMap<>();
        StringBuilder laughs = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i <= 24; i++) {
            laughs.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        bodies.put(laughs.toString(), "anchors and aliases expand to more values than the text holds");
        bodies.put("Resources:\n  M:\n    Type: AWS::AppMesh::Mesh\n    Properties: {MeshName: " + mesh + "}\n"
                + "    Properties: {MeshName: other}\n", "request body#0: Resources.M.Properties: given twice");
        bodies.put("Resources:\n  M:\n    Type: AWS::AppMesh::Mesh\n    Properties: {MeshName: " + mesh + ", Spec: {X: "
                + "1".repeat(30) + "}}\n", "request body#0: Resources.M.Properties.Spec.X: 111111111111111111111111111111 is out of range");
        bodies.put("Resources:\n  M:\n    Type: AWS::AppMesh::Mesh\n    Properties: {MeshName: !Select [99999999999, [a]]}\n",
                "Resources.M.Properties.MeshName.Fn::Select: [index, [values]] with an index within the list is needed");
        StringBuilder doubling = new StringBuilder("Resources:\n  R0:\n    Type: AWS::AppMesh::Mesh\n    Properties: {MeshName: x}\n");
        for (int i = 1; i <= 40; i++) {
            doubling.append("  R").append(i).append(":\n    Type: AWS::AppMesh::Mesh\n    Properties: {MeshName: !Sub '${R")
                    .append(i - 1).append(".MeshName}${R").append(i - 1).append(".MeshName}'}\n");
        }
        bodies.put(doubling.toString(), "resolves to more than 4096 characters");
        StringBuilder chain = new StringBuilder("Resources:\n");
        for (int i = 3000; i >= 1; i--) {
            chain.append("  R").append(i).append(": {Type: AWS::AppMesh::VirtualRouter, Properties: {MeshName: !GetAtt R")
                    .append(i - 1).append(".MeshName, VirtualRouterName: r").append(i).append("}}\n");
        }
        chain.append("  R0: {Type: AWS::AppMesh::Mesh, Properties: {MeshName: " + mesh + "}}\n");
        bodies.put(chain.toString(), "references chain through more than 64 resources");
        bodies.put("Parameters: {P: {Type: String, Default: [a]}}\nResources:\n  M: {Type: AWS::AppMesh::Mesh, Properties:"
                + " {MeshName: !Ref P}}\n", "request body#0 Parameters.P.Default: a text value is needed");
        bodies.put("apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: " + mesh + "}\nspec: {namespaceSelector:"
                + " {matchLabels: {team: [web]}}}\n---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\n"
                + "metadata: {name: api, namespace: shop}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n",
                "spec.namespaceSelector.matchLabels.team: a text value is needed");
        for (var body : bodies.entrySet()) {
            HttpResponse<String> refused = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(30), () -> post("?dryRun=true", "application/yaml", body.getKey()));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(json(refused, 400).path("message").asString()).contains(body.getValue());
        }
        assertThat(meshStatus(mesh)).isEqualTo(404);
    }
}
