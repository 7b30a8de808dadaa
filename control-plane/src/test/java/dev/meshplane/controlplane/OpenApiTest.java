package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAPI description covers all 38 App Mesh operations with their schemas, and Swagger UI is served. */
class OpenApiTest extends ServerTest {

    static final List<String> OPERATIONS = List.of(
            "CreateMesh", "DescribeMesh", "UpdateMesh", "DeleteMesh", "ListMeshes",
            "CreateVirtualService", "DescribeVirtualService", "UpdateVirtualService", "DeleteVirtualService", "ListVirtualServices",
            "CreateVirtualNode", "DescribeVirtualNode", "UpdateVirtualNode", "DeleteVirtualNode", "ListVirtualNodes",
            "CreateVirtualRouter", "DescribeVirtualRouter", "UpdateVirtualRouter", "DeleteVirtualRouter", "ListVirtualRouters",
            "CreateRoute", "DescribeRoute", "UpdateRoute", "DeleteRoute", "ListRoutes",
            "CreateVirtualGateway", "DescribeVirtualGateway", "UpdateVirtualGateway", "DeleteVirtualGateway", "ListVirtualGateways",
            "CreateGatewayRoute", "DescribeGatewayRoute", "UpdateGatewayRoute", "DeleteGatewayRoute", "ListGatewayRoutes",
            "TagResource", "UntagResource", "ListTagsForResource");

    @Test
    void describesEveryOperation() throws Exception {
        HttpResponse<String> response = send("GET", "/v3/api-docs", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = JsonMapper.builder().build().readTree(response.body());
        List<String> appMesh = operationIds(doc, "/v20190125/");
        assertThat(appMesh).hasSize(38).containsExactlyInAnyOrderElementsOf(OPERATIONS);
        assertThat(operationIds(doc, "/v1/")).contains("RegisterInstance", "DescribeInstance", "DeregisterInstance",
                "ListInstances", "ListProxies", "DescribeProxyConfig", "GetVirtualNodeBootstrap",
                "GetVirtualGatewayBootstrap", "DescribeMeshMtls", "UpdateMeshMtls", "DescribeMeshCertificateAuthority",
                "ImportMeshCertificateAuthority", "RotateMeshCertificateAuthority", "EndMeshCertificateAuthorityOverlap",
                "PutAuthorizationPolicy", "DescribeAuthorizationPolicy", "ListAuthorizationPolicies", "DeleteAuthorizationPolicy",
                "IssueApiToken", "IssueAccessKey", "IssueProxyToken", "ListCredentials", "RevokeCredential",
                "RevokeProxyToken", "IssueProxyAccessKey", "RevokeProxyAccessKey", "ListAuditEntries", "ApplyResources",
                "DescribeMeshTraffic", "DescribeMeshGraph", "DescribeMeshTracing", "PutMeshTracing", "DeleteMeshTracing");
        JsonNode graph = doc.at("/paths/~1v1~1meshes~1{meshName}~1graph/get/responses/200/content");
        assertThat(graph.propertyNames()).as("the graph's three formats")
                .contains("application/json", "text/vnd.graphviz", "image/svg+xml");

        JsonNode schemas = doc.get("components").get("schemas");
        assertThat(schemas.has("VirtualNodeSpec")).isTrue();
        JsonNode port = schemas.get("PortMapping").get("properties").get("port");
        assertThat(port.get("minimum").asInt()).isEqualTo(1);
        assertThat(port.get("maximum").asInt()).isEqualTo(65535);
        assertThat(schemas.get("PortMapping").get("properties").get("protocol").toString())
                .contains("http", "http2", "grpc", "tcp");
        assertThat(schemas.get("VirtualNodeSpec").get("description").asString()).contains("virtual node");

        JsonNode create = doc.get("paths").get("/v20190125/meshes/{meshName}/virtualNodes").get("put");
        assertThat(create.get("requestBody").toString()).contains("CreateVirtualNodeRequest");
        assertThat(create.get("responses").get("200").toString()).contains("VirtualNodeData");
        assertThat(create.get("responses").get("409").get("description").asString()).startsWith("ConflictException");
        assertThat(create.get("responses").get("400").get("headers").has("x-amzn-ErrorType")).isTrue();
        assertThat(create.get("responses").get("503").get("description").asString()).startsWith("ServiceUnavailableException");
        assertThat(create.get("responses").get("503").get("headers").has("Retry-After")).isTrue();
        JsonNode describe = doc.get("paths").get("/v20190125/meshes/{meshName}/virtualNodes/{virtualNodeName}").get("get");
        assertThat(describe.get("responses").get("200").get("headers").has("x-meshplane-stale"))
                .as("a read may come from memory while the database is away").isTrue();
        assertThat(describe.get("responses").get("503").get("description").asString()).contains("holds no answer");
        assertThat(create.get("responses").get("200").has("headers")).as("writes never come from memory").isFalse();
        assertThat(doc.at("/paths/~1v1~1meshes~1{meshName}~1virtualNodes~1{name}~1bootstrap/get/responses/200/headers")
                .has("x-meshplane-stale")).isTrue();
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asString()).as("Swagger UI takes a token").isEqualTo("bearer");
        assertThat(doc.at("/security/0").has("bearer")).isTrue();
        assertThat(schemas.get("AppMeshError").get("properties").has("message")).isTrue();
        assertThat(doc.get("info").get("title").asString()).isEqualTo("Meshplane");
        assertThat(doc.get("info").get("description").asString()).as("the console is named").contains("web console at /ui/");

        JsonNode apply = doc.at("/paths/~1v1~1apply/post");
        assertThat(apply.get("requestBody").toString()).contains("ApplyRequest");
        assertThat(apply.get("responses").get("200").toString()).contains("ApplyResult");
        assertThat(apply.get("responses").get("409").get("description").asString()).startsWith("ConflictException");
        assertThat(apply.get("parameters").toString()).contains("dryRun", "prune");
        assertThat(schemas.get("PlanEntry").get("properties").get("action").toString())
                .contains("created", "updated", "deleted", "unchanged");
    }

    private static List<String> operationIds(JsonNode doc, String prefix) {
        return doc.get("paths").properties().stream()
                .filter(path -> path.getKey().startsWith(prefix))
                .flatMap(path -> path.getValue().valueStream())
                .filter(op -> op.has("operationId"))
                .map(op -> op.get("operationId").asString())
                .toList();
    }

    @Test
    void servesSwaggerUi() throws Exception {
        HttpResponse<String> redirect = send("GET", "/swagger-ui.html", null);
        assertThat(redirect.statusCode()).isEqualTo(302);
        HttpResponse<String> page = send("GET", "/swagger-ui/index.html", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
    }
}
