package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.appmesh.model.BadRequestException;

/**
 * Text an attacker chooses: control characters (U+0000 gave a 500 from PostgreSQL; others were
 * stored and logged), members given twice in one JSON object (the last one won on credential
 * requests), and names reserved for Meshplane's own state. Each is a 400 naming the member, and
 * nothing is stored.
 */
class HostileTextTest extends ServerTest {

    private String mesh;

    @BeforeEach
    void createMesh() {
        mesh = uniqueName("text");
        appMesh.createMesh(r -> r.meshName(mesh));
    }

    private static void assertBadRequest(HttpResponse<String> response, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
        assertThat(response.body()).startsWith("{\"message\":\"").contains(messagePart);
    }

    private static final String NODE_SPEC = "{'listeners':[{'portMapping':{'port':8080,'protocol':'http'}}],"
            + "'serviceDiscovery':{'dns':{'hostname':'web.local'}}}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "name with NUL | {'virtualNodeName':'web\\u0000x','spec':" + NODE_SPEC + "} | virtualNodeName: must not contain control characters (U+0000 at index 3)",
        "name with newline | {'virtualNodeName':'web\\nINFO forged','spec':" + NODE_SPEC + "} | virtualNodeName: must not contain control characters (U+000A at index 3)",
        "name with DEL | {'virtualNodeName':'w\\u007f','spec':" + NODE_SPEC + "} | virtualNodeName: must not contain control characters (U+007F at index 1)",
        "name with C1 | {'virtualNodeName':'w\\u0085','spec':" + NODE_SPEC + "} | virtualNodeName: must not contain control characters (U+0085 at index 1)",
        "tag key | {'virtualNodeName':'web','spec':" + NODE_SPEC + ",'tags':[{'key':'k\\u0000','value':'v'}]} | tags[0].key: must not contain control characters (U+0000 at index 1)",
        "tag value | {'virtualNodeName':'web','spec':" + NODE_SPEC + ",'tags':[{'key':'k','value':'\\u0000'}]} | tags[0].value: must not contain control characters (U+0000 at index 0)",
        "client token | {'virtualNodeName':'web','clientToken':'t\\u0000','spec':" + NODE_SPEC + "} | clientToken: must not contain control characters",
        "spec text, jsonb | {'virtualNodeName':'web','spec':{'serviceDiscovery':{'dns':{'hostname':'a\\u0000b'}}}} | spec.serviceDiscovery.dns.hostname: must not contain control characters (U+0000 at index 1)",
        "tab in a spec text | {'virtualNodeName':'web','spec':{'serviceDiscovery':{'dns':{'hostname':'a\\tb'}}}} | spec.serviceDiscovery.dns.hostname: must not contain control characters (U+0009 at index 1)",
    })
    void controlCharactersInBodiesAre400sNamingTheMember(String name, String body, String message) throws Exception {
        assertBadRequest(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", body.replace('\'', '"')), message);
        assertThat(send("GET", "/v20190125/meshes/" + mesh + "/virtualNodes", null).body()).isEqualTo("{\"virtualNodes\":[]}");
    }

    @Test
    void aLineBreakIsTextWhereTextSpansLines() throws Exception {
        // Envoy's own default access log format ends with a newline: App Mesh users write it so
        String body = "{'virtualNodeName':'logged','spec':{'logging':{'accessLog':{'file':{'path':'/dev/stdout',"
                + "'format':{'text':'[%START_TIME%] %REQ(:METHOD)%\\n'}}}}}}";
        HttpResponse<String> created = send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", body.replace('\'', '"'));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertBadRequest(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", body.replace("logged", "logged2")
                        .replace("\\n", "\\u0000").replace('\'', '"')),
                "spec.logging.accessLog.file.format.text: must not contain control characters (U+0000 at index 29)");
    }

    @Test
    void controlCharactersInUrlsAre400sNamingTheVariable() throws Exception {
        assertBadRequest(send("GET", "/v20190125/meshes/" + mesh + "%01x", null),
                "meshName: must not contain control characters (U+0001 at index " + mesh.length() + ")");
        assertBadRequest(send("GET", "/v20190125/meshes/" + mesh + "/virtualNodes/a%0Ab", null),
                "virtualNodeName: must not contain control characters (U+000A at index 1)");
        assertBadRequest(send("DELETE", "/v20190125/meshes/" + mesh + "/virtualNodes/a%7Fb", null),
                "virtualNodeName: must not contain control characters (U+007F at index 1)");
        assertBadRequest(send("GET", "/v20190125/tags?resourceArn=arn%01", null),
                "resourceArn: must not contain control characters (U+0001 at index 3)");
        assertBadRequest(send("GET", "/v1/audit?actor=a%00b", null),
                "actor: must not contain control characters (U+0000 at index 1)");
        // Tomcat refuses an encoded NUL in a path itself, before any servlet runs: still in App Mesh's shape
        assertBadRequest(send("GET", "/v20190125/meshes/a%00b", null), "encoded NUL");
    }

    @Test
    void aFormTypedJsonBodyIsStillReadAsJson() throws Exception {
        // curl -d sends a form content type: checking the query must not read the body as form parameters
        HttpResponse<String> issued = http.send(java.net.http.HttpRequest.newBuilder(uri("/v1/tokens?note=ci"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"form\",\"role\":\"viewer\",\"meshes\":[\"*\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        HttpResponse<String> refused = http.send(java.net.http.HttpRequest.newBuilder(uri("/v1/tokens?note=c%0Ai"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"form\",\"role\":\"viewer\",\"meshes\":[\"*\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertBadRequest(refused, "note: must not contain control characters (U+000A at index 1)");
    }

    @Test
    void controlCharactersInTheRegistryAre400sNamingTheMember() throws Exception {
        String base = "/v1/registry/" + uniqueName("ns") + "/svc/instances/";
        assertBadRequest(send("PUT", base + "i-1", "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"10.0.0.5\",\"version\":\"v\\u0000\"}}"),
                "attributes.version: must not contain control characters (U+0000 at index 1)");
        assertBadRequest(send("PUT", base + "i-1", "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"10.0.0.5\",\"v\\u0000\":\"1\"}}"),
                "attributes: a key must not contain control characters (U+0000 at index 1)");
        assertBadRequest(send("PUT", base + "i%01", "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"10.0.0.5\"}}"),
                "instanceId: must not contain control characters (U+0001 at index 1)");
        assertThat(send("GET", base.substring(0, base.length() - 1), null).body()).isEqualTo("{\"instances\":[]}");
    }

    @Test
    void credentialNamesRefuseControlCharacters() throws Exception {
        assertBadRequest(send("POST", "/v1/tokens", "{\"name\":\"ci\\u0000\",\"role\":\"viewer\",\"meshes\":[\"*\"]}"),
                "name: must not contain control characters (U+0000 at index 2)");
        assertBadRequest(send("POST", "/v1/accessKeys", "{\"name\":\"ci\",\"role\":\"viewer\",\"meshes\":[\"m\\n\"]}"),
                "meshes[0]: must not contain control characters (U+000A at index 1)");
        assertThat(send("GET", "/v1/tokens", null).body()).doesNotContain("\"ci");
    }

    @Test
    void aMemberGivenTwiceIsRefusedOnEveryBody() throws Exception {
        // the example: the last "role" used to win and issue an admin token
        assertBadRequest(send("POST", "/v1/tokens", "{\"name\":\"dup\",\"role\":\"viewer\",\"role\":\"admin\",\"meshes\":[\"*\"]}"),
                "member 'role' twice in one object");
        assertBadRequest(send("POST", "/v1/accessKeys", "{\"name\":\"dup\",\"role\":\"viewer\",\"meshes\":[\"a\"],\"meshes\":[\"*\"]}"),
                "member 'meshes' twice");
        assertBadRequest(send("POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"a\",\"virtualNode\":\"b\"}"),
                "member 'virtualNode' twice");
        assertBadRequest(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes",
                "{\"virtualNodeName\":\"a\",\"spec\":{\"listeners\":[],\"listeners\":[]}}"), "member 'listeners' twice");
        assertBadRequest(send("PUT", "/v1/registry/ns/svc/instances/i-1",
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"10.0.0.5\",\"AWS_INSTANCE_IPV4\":\"10.0.0.6\"}}"),
                "member 'AWS_INSTANCE_IPV4' twice");
        assertThat(send("GET", "/v1/tokens", null).body()).doesNotContain("\"dup\"");
    }

    @Test
    void credentialRequestsRefuseUnknownMembersAndWrongTypes() throws Exception {
        assertBadRequest(send("POST", "/v1/tokens", "{\"name\":\"  \",\"role\":\"viewer\",\"meshes\":[\"*\"]}"),
                "name: must not be blank");
        assertBadRequest(send("POST", "/v1/tokens", "{\"name\":\"x\",\"role\":\"viewer\",\"meshes\":[\"*\"],\"admin\":true}"),
                "admin: unknown member");
        assertBadRequest(send("POST", "/v1/tokens", "{\"name\":\"x\",\"role\":[\"admin\"],\"meshes\":[\"*\"]}"),
                "role: expected a string, got an array");
    }

    @Test
    void meshplanesOwnNamesCannotBeCreated() throws Exception {
        assertThatThrownBy(() -> appMesh.createMesh(r -> r.meshName("_meshplane")))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("meshName: names beginning with '_meshplane' are reserved");
        assertBadRequest(send("PUT", "/v20190125/meshes", "{\"meshName\":\"_meshplane-x\"}"), "meshName: names beginning with");
        assertThat(send("GET", "/v20190125/meshes/_meshplane", null).statusCode()).isEqualTo(404);
    }
}
