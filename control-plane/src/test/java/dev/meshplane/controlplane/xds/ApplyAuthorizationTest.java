package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/apply} decides each resource it would change with the permission evaluator every handler
 * uses: an editor of one mesh cannot create in, change or prune another through it, nor create a mesh or
 * an authorization policy (admin's, as PutAuthorizationPolicy),
 * and a refused apply changes nothing, not even in the mesh the caller may edit.
 */
class ApplyAuthorizationTest extends AuthenticatedServerTest {

    private static String node(String mesh, String name, int port) {
        return "{\"kind\":\"VirtualNode\",\"meshName\":\"" + mesh + "\",\"virtualNodeName\":\"" + name + "\",\"spec\":"
                + "{\"listeners\":[{\"portMapping\":{\"port\":" + port + ",\"protocol\":\"http\"}}],"
                + "\"serviceDiscovery\":{\"dns\":{\"hostname\":\"" + name + ".local\"}}}}";
    }

    private static String document(String... resources) {
        return "{\"resources\":[" + String.join(",", resources) + "]}";
    }

    private String token(String role, String mesh) throws Exception {
        return ok(call("POST", "/v1/tokens", "{\"name\":\"apply-" + role + "-" + mesh + "\",\"role\":\"" + role
                + "\",\"meshes\":[\"" + mesh + "\"]}", ADMIN)).get("token").asString();
    }

    private int port(String mesh, String node) throws Exception {
        return ok(call("GET", "/v20190125/meshes/" + mesh + "/virtualNodes/" + node, null, ADMIN))
                .get("spec").get("listeners").get(0).get("portMapping").get("port").asInt();
    }

    @Test
    void anEditorOfOneMeshAppliesThereAndNowhereElse() throws Exception {
        String own = meshWithNodes();
        String other = meshWithNodes();
        String editor = token("editor", own);

        HttpResponse<String> elsewhere = call("POST", "/v1/apply", document(node(own, "api", 9001),
                node(other, "api", 9001)), editor);
        assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(403);
        assertThat(elsewhere.headers().firstValue("x-amzn-ErrorType")).hasValue("ForbiddenException");
        assertThat(elsewhere.body()).contains("mesh '" + other + "'");
        assertThat(port(own, "api")).as("a refused apply changes nothing, in its own mesh either").isEqualTo(8080);
        assertThat(port(other, "api")).isEqualTo(8080);

        HttpResponse<String> pruneOther = call("POST", "/v1/apply?prune=true", document(node(other, "api", 8080)), editor);
        assertThat(pruneOther.statusCode()).as(pruneOther.body()).isEqualTo(403);
        assertThat(port(other, "other")).as("not pruned").isEqualTo(8080);

        String newMesh = uniqueName("apply-new");
        HttpResponse<String> createMesh = call("POST", "/v1/apply", document("{\"kind\":\"Mesh\",\"meshName\":\""
                + newMesh + "\"}"), token("editor", newMesh));
        assertThat(createMesh.statusCode()).as(createMesh.body()).isEqualTo(403);
        assertThat(createMesh.body()).contains("admin on every mesh (*)");
        assertThat(call("GET", "/v20190125/meshes/" + newMesh, null, ADMIN).statusCode()).isEqualTo(404);

        HttpResponse<String> policy = call("POST", "/v1/apply", document("{\"kind\":\"AuthorizationPolicy\",\"meshName\":\""
                + own + "\",\"policyName\":\"p\",\"spec\":{\"targets\":{\"virtualNodes\":[\"api\"]},\"action\":\"DENY\","
                + "\"rules\":[{\"to\":{\"prefixes\":[\"/admin\"]}}]}}"), editor);
        assertThat(policy.statusCode()).as("a policy takes admin on the mesh, as PutAuthorizationPolicy: " + policy.body())
                .isEqualTo(403);
        assertThat(policy.body()).contains("admin on mesh '" + own + "'");

        HttpResponse<String> viewer = call("POST", "/v1/apply", document(node(own, "api", 9002)), token("viewer", own));
        assertThat(viewer.statusCode()).as(viewer.body()).isEqualTo(403);

        HttpResponse<String> applied = call("POST", "/v1/apply?prune=true", document(node(own, "api", 9003)), editor);
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(port(own, "api")).isEqualTo(9003);
        assertThat(call("GET", "/v20190125/meshes/" + own + "/virtualNodes/other", null, ADMIN).statusCode())
                .as("pruned where the caller may delete").isEqualTo(404);
        awaitAudit("mesh=" + own, "UpdateVirtualNode", "DeleteVirtualNode", "apply-editor-" + own);
    }
}
