package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The shared server with authentication on (the same settings as {@link AuthenticationTest}, so the
 * same server), and what tests of credentials need: calls as the bootstrap admin, meshes with nodes
 * {@code api} and {@code other}, issued credentials, and the audit log.
 */
// these tests count refusal rows one by one: the audit throttle stays out of their way (BookkeepingTest tests it)
@TestPropertySource(properties = {"meshplane.security.authentication=enabled",
        "meshplane.security.bootstrap-admin-token=bootstrap-secret-for-tests",
        "meshplane.audit.refusals-per-caller=100000", "meshplane.audit.refusals-per-window=100000"})
abstract class AuthenticatedServerTest extends ServerTest {

    static final String ADMIN = "bootstrap-secret-for-tests";

    @Autowired
    XdsServer xds;

    HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(HttpResponse<String> response) {
        return json(response, 200);
    }

    /** A new mesh with virtual nodes {@code api} and {@code other}. */
    String meshWithNodes() throws Exception {
        String mesh = uniqueName("sig");
        ok(call("PUT", "/v20190125/meshes", "{\"meshName\":\"" + mesh + "\"}", ADMIN));
        for (String node : new String[] {"api", "other"}) {
            ok(call("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", "{\"virtualNodeName\":\"" + node + "\",\"spec\":"
                    + "{\"listeners\":[{\"portMapping\":{\"port\":8080,\"protocol\":\"http\"}}],"
                    + "\"serviceDiscovery\":{\"dns\":{\"hostname\":\"" + node + ".local\"}}}}", ADMIN));
        }
        return mesh;
    }

    /** An access key of this role on one mesh: its id and secret. */
    String[] accessKey(String name, String role, String mesh) throws Exception {
        JsonNode key = ok(call("POST", "/v1/accessKeys", "{\"name\":\"" + name + "\",\"role\":\"" + role
                + "\",\"meshes\":[\"" + mesh + "\"]}", ADMIN));
        return new String[] {key.get("accessKeyId").asString(), key.get("secretAccessKey").asString()};
    }

    /** A proxy access key for one virtual node: its id and secret. */
    String[] proxyAccessKey(String mesh, String node) throws Exception {
        JsonNode key = ok(call("POST", "/v1/meshes/" + mesh + "/proxyAccessKeys", "{\"virtualNode\":\"" + node + "\"}", ADMIN));
        assertThat(key.get("role").asString()).isEqualTo("proxy");
        return new String[] {key.get("accessKeyId").asString(), key.get("secretAccessKey").asString()};
    }

    /** Refusals are written by a background writer: the entries of the query once they contain all of these. */
    String awaitAudit(String query, String... contains) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        String entries = ok(call("GET", "/v1/audit?" + query, null, ADMIN)).get("entries").toString();
        while (!java.util.Arrays.stream(contains).allMatch(entries::contains) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            entries = ok(call("GET", "/v1/audit?" + query, null, ADMIN)).get("entries").toString();
        }
        assertThat(entries).as("audit entries for " + query).contains(contains);
        return entries;
    }
}
