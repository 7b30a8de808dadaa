package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.appmesh.AppMeshProperties;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The holes of issue 11 that came from deciding on a second parse of the request, and from data
 * not bound to a mesh, each as the attacker tried it: two meshes, a viewer, an editor and an admin
 * of mesh A, and the calls that must not reach mesh B (or a private key) however they are spelled.
 */
class AuthorizationTest extends AuthenticatedServerTest {

    @Autowired
    AppMeshProperties appMeshProperties;

    private String meshA;
    private String meshB;
    private String viewerA;
    private String editorA;
    private String adminA;

    /** A mesh whose node "web" selects registry service {@code <mesh>-ns/svc}. */
    private String mesh(String prefix) throws Exception {
        String mesh = uniqueName(prefix);
        ok(call("PUT", "/v20190125/meshes", "{\"meshName\":\"" + mesh + "\"}", ADMIN));
        ok(call("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", "{\"virtualNodeName\":\"web\",\"spec\":"
                + "{\"listeners\":[{\"portMapping\":{\"port\":8080,\"protocol\":\"http\"}}],\"serviceDiscovery\":"
                + "{\"awsCloudMap\":{\"namespaceName\":\"" + mesh + "-ns\",\"serviceName\":\"svc\"}}}}", ADMIN));
        return mesh;
    }

    private String token(String role, String mesh) throws Exception {
        return ok(call("POST", "/v1/tokens", "{\"name\":\"" + role + "-of-" + mesh + "\",\"role\":\"" + role
                + "\",\"meshes\":[\"" + mesh + "\"]}", ADMIN)).get("token").asString();
    }

    private String arn(String mesh) {
        return "arn:aws:appmesh:" + appMeshProperties.region() + ":" + appMeshProperties.accountId() + ":mesh/" + mesh;
    }

    @BeforeEach
    void twoMeshes() throws Exception {
        meshA = mesh("a");
        meshB = mesh("b");
        viewerA = token("viewer", meshA);
        editorA = token("editor", meshA);
        adminA = token("admin", meshA);
    }

    @Test
    void aPathParameterOrAnEncodedLetterDoesNotOpenANodesPrivateKey() throws Exception {
        String plain = "/v1/meshes/" + meshA + "/virtualNodes/web/certificate";
        String proxyOfWeb = ok(call("POST", "/v1/meshes/" + meshA + "/proxyTokens", "{\"virtualNode\":\"web\"}", ADMIN))
                .get("token").asString();
        for (String spelled : new String[] {plain + ";x", "/v1/meshes/" + meshA + ";x/virtualNodes/web/certificate",
                plain + ";x=1;y"}) {
            for (String caller : new String[] {viewerA, adminA, proxyOfWeb}) {
                HttpResponse<String> response = call("GET", spelled, null, caller);
                assertThat(response.statusCode()).as(spelled + ": a ';' is refused, whoever asks").isEqualTo(400);
                assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
                assertThat(response.body()).contains("the request path is refused").doesNotContain("PRIVATE KEY");
            }
        }
        for (String spelled : new String[] {plain, "/v1/meshes/" + meshA + "/virtualNodes/web/certificat%65"}) {
            HttpResponse<String> response = call("GET", spelled, null, viewerA);
            assertThat(response.statusCode()).as(spelled + ": " + response.body()).isEqualTo(403);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ForbiddenException");
            assertThat(response.body()).doesNotContain("PRIVATE KEY");
            HttpResponse<String> admin = call("GET", spelled, null, adminA);
            assertThat(admin.statusCode()).as("the mesh's admin: no API role receives a private key").isEqualTo(403);
            assertThat(admin.body()).doesNotContain("PRIVATE KEY");
            assertThat(ok(call("GET", spelled, null, proxyOfWeb)).toString()).as("the node's own proxy").contains("PRIVATE KEY");
        }
    }

    @Test
    void taggingIsDecidedOnTheArnTheHandlerActsOn() throws Exception {
        ok(call("PUT", "/v20190125/tag?resourceArn=" + arn(meshB), "{\"tags\":[{\"key\":\"owner\",\"value\":\"b\"}]}", ADMIN));
        String body = "{\"tags\":[{\"key\":\"owner\",\"value\":\"attacker\"}]}";
        String nodeOfA = arn(meshA) + "/virtualNode/web";
        for (String query : new String[] {"x=" + nodeOfA + "&resourceArn=" + arn(meshB),
                "resourceArn=" + arn(meshB) + "&x=" + nodeOfA, "x=" + arn(meshA) + "&resourceArn=" + arn(meshB),
                "resourceArn=" + arn(meshB)}) {
            assertThat(call("PUT", "/v20190125/tag?" + query, body, editorA).statusCode()).as(query).isEqualTo(403);
            assertThat(call("PUT", "/v20190125/untag?" + query, "{\"tagKeys\":[\"owner\"]}", editorA).statusCode())
                    .as(query).isEqualTo(403);
            assertThat(call("GET", "/v20190125/tags?" + query, null, editorA).statusCode()).as(query).isEqualTo(403);
        }
        for (String both : new String[] {"resourceArn=" + arn(meshA) + "&resourceArn=" + arn(meshB),
                "resourceArn=" + arn(meshB) + "&resourceArn=" + arn(meshA)}) {
            assertThat(call("PUT", "/v20190125/tag?" + both, body, editorA).statusCode()).as(both).isIn(400, 403);
        }
        assertThat(ok(call("GET", "/v20190125/tags?resourceArn=" + arn(meshB), null, ADMIN)).toString())
                .contains("\"b\"").doesNotContain("attacker");
        ok(call("PUT", "/v20190125/tag?resourceArn=" + arn(meshA), body, editorA));
    }

    @Test
    void listMeshesFiltersBeforePagingSoNextTokenNamesNoOtherMesh() throws Exception {
        String viewerB = token("viewer", meshB);
        JsonNode page = ok(call("GET", "/v20190125/meshes?limit=1", null, viewerB));
        assertThat(page.get("meshes")).hasSize(1);
        assertThat(page.at("/meshes/0/meshName").asString()).isEqualTo(meshB);
        assertThat(page.path("nextToken").isMissingNode() || page.get("nextToken").isNull())
                .as("nothing more the viewer may read: " + page).isTrue();
    }

    @Test
    void theRegistryBelongsToTheMeshesWhoseNodesSelectIt() throws Exception {
        String instance = "/v1/registry/" + meshB + "-ns/svc/instances/i-1";
        String attacker = "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"6.6.6.6\",\"AWS_INSTANCE_PORT\":\"80\"}}";
        String editorB = token("editor", meshB);
        ok(call("PUT", instance, "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"10.0.0.5\",\"AWS_INSTANCE_PORT\":\"80\"}}",
                editorB));
        HttpResponse<String> register = call("PUT", instance, attacker, editorA);
        assertThat(register.statusCode()).as("an editor of another mesh registers nothing").isEqualTo(403);
        assertThat(register.body()).as("the refusal names no other mesh").doesNotContain(meshB + "'", "[" + meshB);
        assertThat(call("DELETE", instance, null, editorA).statusCode()).isEqualTo(403);
        assertThat(call("GET", instance, null, viewerA).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/v1/registry/" + meshB + "-ns/svc/instances", null, viewerA).statusCode()).isEqualTo(403);
        assertThat(ok(call("GET", instance, null, token("viewer", meshB))).toString()).contains("10.0.0.5");

        String unselected = "/v1/registry/nobody-selects-" + meshA + "/svc/instances/i-1";
        assertThat(call("PUT", unselected, attacker, editorA).statusCode()).as("a service no mesh selects").isEqualTo(403);
        ok(call("PUT", unselected, attacker, ADMIN));
        ok(call("PUT", "/v1/registry/" + meshA + "-ns/svc/instances/i-1", attacker, editorA));
        ok(call("DELETE", "/v1/registry/" + meshA + "-ns/svc/instances/i-1", null, editorA));

        String writes = ok(call("GET", "/v1/audit?limit=1000", null, ADMIN)).toString();
        assertThat(writes).as("registry writes are audited, naming who").contains("RegisterInstance",
                "editor-of-" + meshB, meshB + "-ns/svc/i-1", "DeregisterInstance", "editor-of-" + meshA);
        HttpResponse<String> badName = call("GET", "/v1/registry/bad%20name/svc/instances", null, viewerA);
        assertThat(badName.statusCode()).as("the handler's name check, before the rule's query").isEqualTo(400);
        assertThat(badName.body()).contains("namespaceName");
    }

    @Test
    void proxiesOfOtherMeshesAreNeitherListedNorConfirmed() throws Exception {
        String nodeB = "mesh/" + meshB + "/virtualNode/web";
        String tokenB = ok(call("POST", "/v1/meshes/" + meshB + "/proxyTokens", "{\"virtualNode\":\"web\"}", ADMIN))
                .get("token").asString();
        try (AdsStream proxy = new AdsStream(xds.port(), tokenB)) {
            proxy.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(nodeB)).setTypeUrl(AdsStream.CDS).build());
            assertThat(proxy.next(5000)).isNotNull();
            assertThat(ok(call("GET", "/v1/proxies", null, ADMIN)).toString()).contains(nodeB);
            assertThat(ok(call("GET", "/v1/proxies", null, viewerA)).toString()).doesNotContain(meshB);
            HttpResponse<String> connected = call("GET", "/v1/proxies/" + nodeB + "/config", null, viewerA);
            HttpResponse<String> absent = call("GET", "/v1/proxies/mesh/" + meshB + "/virtualNode/nobody/config", null,
                    viewerA);
            assertThat(connected.statusCode()).isEqualTo(404);
            assertThat(connected.body()).isEqualTo(absent.body().replace("mesh/" + meshB + "/virtualNode/nobody", nodeB));
            assertThat(call("GET", "/v1/proxies/" + nodeB + "/config", null, token("viewer", meshB)).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void prometheusMetricsNameMeshesSoScrapingNeedsViewerOnEveryMesh() throws Exception {
        HttpResponse<String> anonymous = call("GET", "/actuator/prometheus", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("x-amzn-ErrorType")).hasValue("UnauthorizedException");
        assertThat(anonymous.body()).doesNotContain(meshA);
        assertThat(call("GET", "/actuator/prometheus", null, adminA).statusCode()).isEqualTo(403);
        String scraper = ok(call("POST", "/v1/tokens", "{\"name\":\"prometheus\",\"role\":\"viewer\",\"meshes\":[\"*\"]}",
                ADMIN)).get("token").asString();
        assertThat(call("GET", "/actuator/prometheus", null, scraper).body()).contains("meshplane_");
        assertThat(call("GET", "/actuator/health/readiness", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void pathsTheFirewallRefusesAre400sInAppMeshShapeSayingWhy() throws Exception {
        // what Tomcat itself refuses first (%2F, %5C, %00) is its own plain 400; these reach Spring Security's firewall
        for (String path : new String[] {"/v20190125/meshes/%2E%2E/" + meshB, "/v1/meshes/" + meshA
                + "/virtualNodes/web//certificate", "/v20190125/meshes/" + meshA + "%25"}) {
            for (String token : new String[] {null, viewerA}) {
                HttpResponse<String> response = call("GET", path, null, token);
                assertThat(response.statusCode()).as(path).isEqualTo(400);
                assertThat(response.headers().firstValue("x-amzn-ErrorType")).as(path).hasValue("BadRequestException");
                assertThat(response.body()).as(path + " says what is wrong").startsWith("{\"message\"")
                        .contains("the request path is refused", "rejected").doesNotContain("PRIVATE KEY");
            }
        }
    }

    @Test
    void aProxyTokenReadsItsOwnNodesCertificateAndNothingElse() throws Exception {
        String token = ok(call("POST", "/v1/meshes/" + meshA + "/proxyTokens", "{\"virtualNode\":\"web\"}", ADMIN))
                .get("token").asString();
        assertThat(ok(call("GET", "/v1/meshes/" + meshA + "/virtualNodes/web/certificate", null, token)).toString())
                .contains("PRIVATE KEY");
        assertThat(call("GET", "/v1/meshes/" + meshB + "/virtualNodes/web/certificate", null, token).statusCode())
                .isEqualTo(403);
        for (String path : new String[] {"/v20190125/meshes/" + meshA, "/v20190125/meshes", "/v1/proxies",
                "/v1/meshes/" + meshA + "/ca", "/v1/registry/" + meshA + "-ns/svc/instances"}) {
            assertThat(call("GET", path, null, token).statusCode()).as(path).isEqualTo(403);
        }
    }

    /** A node of A that selects B's registry service would have A's proxies (and A's viewers, through them) see B's instances. */
    @Test
    void aNodeOfOneMeshCannotBeMadeToSelectAnotherMeshsRegistryService() throws Exception {
        ok(call("PUT", "/v1/registry/" + meshB + "-ns/svc/instances/i-1",
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"10.9.9.9\",\"AWS_INSTANCE_PORT\":\"80\"}}", ADMIN));
        String selectingB = "{\"virtualNodeName\":\"spy\",\"spec\":{\"listeners\":[{\"portMapping\":{\"port\":8080,"
                + "\"protocol\":\"http\"}}],\"serviceDiscovery\":{\"awsCloudMap\":{\"namespaceName\":\"" + meshB
                + "-ns\",\"serviceName\":\"svc\"}}}}";
        HttpResponse<String> created = call("PUT", "/v20190125/meshes/" + meshA + "/virtualNodes", selectingB, editorA);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(403);
        assertThat(created.body()).doesNotContain(meshB + "\"").doesNotContain("10.9.9.9");
        assertThat(call("GET", "/v20190125/meshes/" + meshA + "/virtualNodes/spy", null, ADMIN).statusCode())
                .as("nothing stored").isEqualTo(404);
        // nor by updating a node it already has
        HttpResponse<String> updated = call("PUT", "/v20190125/meshes/" + meshA + "/virtualNodes/web",
                selectingB.replace("\"virtualNodeName\":\"spy\",", ""), editorA);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(403);
        // instances nobody selects belong to no mesh of A's either
        ok(call("PUT", "/v1/registry/orphan-ns/svc/instances/i-1",
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"10.8.8.8\",\"AWS_INSTANCE_PORT\":\"80\"}}", ADMIN));
        assertThat(call("PUT", "/v20190125/meshes/" + meshA + "/virtualNodes", selectingB.replace(meshB + "-ns", "orphan-ns"),
                editorA).statusCode()).isEqualTo(403);
        // a fresh service, and A's own, are A's editor's to select; an unrelated update of a node keeps working
        ok(call("PUT", "/v20190125/meshes/" + meshA + "/virtualNodes", selectingB.replace(meshB + "-ns", meshA + "-fresh"),
                editorA));
        ok(call("PUT", "/v20190125/meshes/" + meshA + "/virtualNodes/web", "{\"spec\":{\"listeners\":[{\"portMapping\":"
                + "{\"port\":9090,\"protocol\":\"http\"}}],\"serviceDiscovery\":{\"awsCloudMap\":{\"namespaceName\":\""
                + meshA + "-ns\",\"serviceName\":\"svc\"}}}}", editorA));
        // one who may read B may make A's node select B's service
        String viewerOfBoth = ok(call("POST", "/v1/tokens", "{\"name\":\"both\",\"role\":\"editor\",\"meshes\":[\""
                + meshA + "\",\"" + meshB + "\"]}", ADMIN)).get("token").asString();
        ok(call("PUT", "/v20190125/meshes/" + meshA + "/virtualNodes", selectingB.replace("spy", "shared"), viewerOfBoth));
    }

    /** Credentials are bound by name: a mesh or node created later under a deleted one's name inherits none of them. */
    @Test
    void credentialsDoNotOutliveTheMeshOrNodeTheyWereBoundTo() throws Exception {
        String meshC = mesh("c");
        String proxyOfWeb = ok(call("POST", "/v1/meshes/" + meshC + "/proxyTokens", "{\"virtualNode\":\"web\"}", ADMIN))
                .get("token").asString();
        String viewerC = token("viewer", meshC);
        String editorAC = ok(call("POST", "/v1/tokens", "{\"name\":\"a-and-c\",\"role\":\"editor\",\"meshes\":[\"" + meshA
                + "\",\"" + meshC + "\"]}", ADMIN)).get("token").asString();
        String certificate = "/v1/meshes/" + meshC + "/virtualNodes/web/certificate";
        assertThat(call("GET", certificate, null, proxyOfWeb).statusCode()).isEqualTo(200);

        // the node goes, and comes back under its name: the old proxy token gets nothing of the new one
        ok(call("DELETE", "/v20190125/meshes/" + meshC + "/virtualNodes/web", null, ADMIN));
        ok(call("PUT", "/v20190125/meshes/" + meshC + "/virtualNodes", "{\"virtualNodeName\":\"web\",\"spec\":"
                + "{\"listeners\":[{\"portMapping\":{\"port\":8080,\"protocol\":\"http\"}}],"
                + "\"serviceDiscovery\":{\"dns\":{\"hostname\":\"web.local\"}}}}", ADMIN));
        HttpResponse<String> stale = call("GET", certificate, null, proxyOfWeb);
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(401);
        assertThat(stale.body()).doesNotContain("PRIVATE KEY");

        // the mesh goes, and comes back under its name (another team's): no credential of the old one reaches it
        String newProxy = ok(call("POST", "/v1/meshes/" + meshC + "/proxyTokens", "{\"virtualNode\":\"web\"}", ADMIN))
                .get("token").asString();
        ok(call("DELETE", "/v20190125/meshes/" + meshC + "/virtualNodes/web", null, ADMIN));
        ok(call("DELETE", "/v20190125/meshes/" + meshC, null, ADMIN));
        ok(call("PUT", "/v20190125/meshes", "{\"meshName\":\"" + meshC + "\"}", ADMIN));
        ok(call("PUT", "/v20190125/meshes/" + meshC + "/virtualNodes", "{\"virtualNodeName\":\"web\",\"spec\":"
                + "{\"listeners\":[{\"portMapping\":{\"port\":8080,\"protocol\":\"http\"}}],"
                + "\"serviceDiscovery\":{\"dns\":{\"hostname\":\"web.local\"}}}}", ADMIN));
        assertThat(call("GET", certificate, null, newProxy).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/v20190125/meshes/" + meshC + "/virtualNodes", null, viewerC).statusCode())
                .as("a token scoped to the old mesh alone is revoked").isEqualTo(401);
        assertThat(call("GET", "/v20190125/meshes/" + meshC + "/virtualNodes", null, editorAC).statusCode())
                .as("a token naming the old mesh among others loses it").isEqualTo(403);
        ok(call("GET", "/v20190125/meshes/" + meshA + "/virtualNodes", null, editorAC));
    }

    @Test
    void twoAuthorizationHeadersAreRefusedNotChosenBetween() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/v20190125/meshes/" + meshA)).header("Authorization", "Bearer " + viewerA)
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
        assertThat(response.body()).contains("Authorization");
    }
}
