package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile requests, sent as raw HTTP: each gets a 4xx in App Mesh's error shape whose
 * message names what is wrong, never a 500 or a stack trace, and nothing is stored.
 */
class BadInputTest extends ServerTest {

    private String mesh;

    @BeforeEach
    void createMesh() {
        mesh = uniqueName("bad");
        appMesh.createMesh(r -> r.meshName(mesh));
    }

    private void assertRefused(HttpResponse<String> response, int status, String type, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue(type);
        assertThat(response.body()).startsWith("{\"message\":\"").contains(messagePart)
                .doesNotContain("Exception:", "\tat ", "tools.jackson", "java.lang");
    }

    private void assertNothingStored() throws Exception {
        HttpResponse<String> nodes = send("GET", "/v20190125/meshes/" + mesh + "/virtualNodes", null);
        assertThat(nodes.statusCode()).isEqualTo(200);
        assertThat(nodes.body()).isEqualTo("{\"virtualNodes\":[]}");
        HttpResponse<String> meshItself = send("GET", "/v20190125/meshes/" + mesh, null);
        assertThat(meshItself.body()).contains("\"version\":1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "truncated | {'virtualNodeName':'n','spec':{'listeners':[ | it ends early",
        "not json | virtualNodeName=n | not valid JSON",
        "wrong type | {'virtualNodeName':'n','spec':{'listeners':{}}} | spec.listeners: expected an array, got an object",
        "string for int | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':'8080','protocol':'http'}}]}} | spec.listeners[0].portMapping.port: expected an integer, got a string",
        "int for string | {'virtualNodeName':7,'spec':{}} | virtualNodeName: expected a string, got an integer",
        "unknown enum | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'udp'}}]}} | spec.listeners[0].portMapping.protocol: 'udp' is not one of [http, tcp, http2, grpc]",
        "out of range | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':0,'protocol':'http'}}]}} | spec.listeners[0].portMapping.port: must be greater than or equal to 1, got 0",
        "missing required | {'virtualNodeName':'n'} | spec: is required",
        "missing nested | {'virtualNodeName':'n','spec':{'listeners':[{}]}} | spec.listeners[0].portMapping: is required",
        "union with none | {'virtualNodeName':'n','spec':{'serviceDiscovery':{}}} | spec.serviceDiscovery: exactly one of [awsCloudMap, dns] must be set",
        "unknown member | {'virtualNodeName':'n','spec':{'listners':[]}} | spec.listners: unknown member",
        "huge number | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':99999999999999999999,'protocol':'http'}}]}} | spec.listeners[0].portMapping.port",
        "null body | null | null",
        "array body | [] | expected an object",
        "health check range | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'},'healthCheck':{'protocol':'http','healthyThreshold':1,'unhealthyThreshold':2,'timeoutMillis':2000,'intervalMillis':5000}}]}} | spec.listeners[0].healthCheck.healthyThreshold: must be greater than or equal to 2, got 1",
        "outlier detection zero interval | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'},'outlierDetection':{'interval':{'unit':'s','value':0},'baseEjectionDuration':{'unit':'ms','value':0},'maxEjectionPercent':10,'maxServerErrors':5}}]}} | spec.listeners[0].outlierDetection.interval.value: must be greater than 0",
        "outlier detection zero ejection | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'http'},'outlierDetection':{'interval':{'unit':'s','value':10},'baseEjectionDuration':{'unit':'ms','value':0},'maxEjectionPercent':10,'maxServerErrors':5}}]}} | spec.listeners[0].outlierDetection.baseEjectionDuration.value: must be greater than 0",
        "duration beyond protobuf's | {'virtualNodeName':'n','spec':{'listeners':[{'portMapping':{'port':8080,'protocol':'tcp'},'timeout':{'tcp':{'idle':{'unit':'s','value':9223372036854775807}}}}]}} | spec.listeners[0].timeout.tcp.idle.value: must be at most 315576000000 seconds",
        "blank dns hostname | {'virtualNodeName':'n','spec':{'serviceDiscovery':{'dns':{'hostname':' '}}}} | spec.serviceDiscovery.dns.hostname: must be a host name or IP address",
        "acm certificate | {'virtualNodeName':'n','spec':{'backendDefaults':{'clientPolicy':{'tls':{'validation':{'trust':{'acm':{'certificateAuthorityArns':['arn:aws:acm-pca:x']}}}}}}}} | spec.backendDefaults.clientPolicy.tls.validation.trust.acm: ACM certificates exist only inside AWS",
    })
    void malformedVirtualNodesAreRefused(String name, String body, String message) throws Exception {
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", body.replace('\'', '"')),
                400, "BadRequestException", message);
        assertNothingStored();
    }

    /** A name that can be created must be addressable: Describe and Delete take it as one path segment. */
    @Test
    void namesThatNoPathCouldAddressAreRefused() throws Exception {
        for (String name : new String[] {"a/b", "a\\\\b", "a;b", "a%2Fb", ".", ".."}) {
            String shown = name.replace("\\\\", "\\");
            HttpResponse<String> node = send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes",
                    "{\"virtualNodeName\":\"" + name + "\",\"spec\":{}}");
            assertRefused(node, 400, "BadRequestException", "virtualNodeName: must not");
            assertThat(node.body()).as(shown).contains("path segment");
            assertRefused(send("PUT", "/v20190125/meshes", "{\"meshName\":\"" + name + "\"}"), 400,
                    "BadRequestException", "meshName: must not");
        }
        assertNothingStored();
    }

    /** App Mesh: a clientToken names one request; the same token with another request is a conflict, and nothing changes. */
    @Test
    void aClientTokenReusedForAnotherRequestIsAConflict() throws Exception {
        String create = "{\"virtualNodeName\":\"tok\",\"spec\":{},\"clientToken\":\"t-1\"}";
        assertThat(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", create).statusCode()).isEqualTo(200);
        String first = "{\"spec\":{\"listeners\":[{\"portMapping\":{\"port\":8080,\"protocol\":\"http\"}}]},"
                + "\"clientToken\":\"t-2\"}";
        HttpResponse<String> updated = send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes/tok", first);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes/tok", first).body())
                .as("the same request again: the same answer").contains("\"version\":2");
        HttpResponse<String> other = send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes/tok",
                first.replace("8080", "9090"));
        assertRefused(other, 409, "ConflictException", "clientToken 't-2' was used for a different request");
        assertThat(send("GET", "/v20190125/meshes/" + mesh + "/virtualNodes/tok", null).body())
                .contains("8080").doesNotContain("9090").contains("\"version\":2");
    }

    @Test
    void oversizeStringsAreRefused() throws Exception {
        String longName = "n".repeat(256);
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes",
                "{\"virtualNodeName\":\"" + longName + "\",\"spec\":{}}"), 400, "BadRequestException",
                "virtualNodeName: must have 1 to 255 characters, has 256");
        assertRefused(send("GET", "/v20190125/meshes/" + mesh + "/virtualNodes/" + longName, null), 400,
                "BadRequestException", "virtualNodeName: must have 1 to 255 characters");
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes",
                "{\"virtualNodeName\":\"" + "x".repeat(200_000) + "\",\"spec\":{}}"), 400, "BadRequestException",
                "longer than 65536 characters");
        assertNothingStored();
    }

    @Test
    void aHugeBodyIsRefusedBeforeItIsRead() throws Exception {
        String huge = "{\"virtualNodeName\":\"n\",\"spec\":{},\"pad\":\"" + "x".repeat(2_000_000) + "\"}";
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", huge), 413, "BadRequestException",
                "larger than 1048576 bytes");

        // the same without a Content-Length (chunked): cut off while reading
        HttpRequest chunked = HttpRequest.newBuilder(uri("/v20190125/meshes/" + mesh + "/virtualNodes"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
                .build();
        assertRefused(http.send(chunked, HttpResponse.BodyHandlers.ofString()), 413, "BadRequestException",
                "larger than 1048576 bytes");
        assertNothingStored();
    }

    @Test
    void deeplyNestedJsonIsRefused() throws Exception {
        String deep = "{\"virtualNodeName\":\"n\",\"spec\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertRefused(send("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", deep), 400, "BadRequestException",
                "nests deeper than 64 levels");
        String deepest = "[".repeat(10_000) + "]".repeat(10_000);
        assertRefused(send("PUT", "/v20190125/meshes", deepest), 400, "BadRequestException",
                "nests deeper than 64 levels");
        assertNothingStored();
    }

    @Test
    void invalidUtf8IsRefused() throws Exception {
        byte[] body = {'{', '"', 'm', 'e', 's', 'h', 'N', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v20190125/meshes"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(response, 400, "BadRequestException", "not valid JSON");
    }

    @Test
    void badQueryParametersAndHeadersAreRefused() throws Exception {
        assertRefused(send("GET", "/v20190125/meshes?limit=-1", null), 400, "BadRequestException",
                "limit: must be between 1 and 100, got -1");
        assertRefused(send("GET", "/v20190125/meshes?limit=ten", null), 400, "BadRequestException",
                "limit: 'ten' is not a valid integer");
        assertRefused(send("GET", "/v20190125/meshes?nextToken=%00%01", null), 400, "BadRequestException", "nextToken");
        assertRefused(send("GET", "/v20190125/meshes/" + mesh + "?meshOwner=abc", null), 400, "BadRequestException",
                "meshOwner: must be a 12-digit account id");
        assertRefused(send("GET", "/v20190125/tags", null), 400, "BadRequestException", "resourceArn: is required");
        HttpResponse<String> badIfMatch = http.send(HttpRequest.newBuilder(uri("/v20190125/meshes/" + mesh))
                .header("If-Match", "yesterday").PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(badIfMatch, 400, "BadRequestException", "If-Match: expected a resource version");
    }

    @Test
    void unknownPathsAndMethodsAnswerInTheSameShape() throws Exception {
        assertRefused(send("GET", "/v20190125/nothing-here", null), 404, "NotFoundException", "no operation");
        assertRefused(send("POST", "/v20190125/meshes", "{}"), 405, "BadRequestException", "POST");
    }

    @Test
    void theBodyIsJsonWhateverTheContentTypeSays() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v20190125/meshes/" + mesh + "/virtualNodes"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"virtualNodeName\":\"curl\",\"spec\":{}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"virtualNodeName\":\"curl\"");
    }

    @Test
    void signedRequestHeadersDoNotGetInTheWay() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v20190125/meshes/" + mesh))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/appmesh/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=0123456789abcdef")
                .header("X-Amz-Date", "20261126T000000Z")
                .header("X-Amz-Security-Token", "token")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
