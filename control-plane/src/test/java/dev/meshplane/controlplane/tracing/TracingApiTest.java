package dev.meshplane.controlplane.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15's tracing settings through the API: created, read with their version (body and ETag), replaced,
 * replaced only at the version read (If-Match, 412 otherwise, nothing changed), turned off with DELETE, and gone
 * with their mesh. Bad input is BadInputTest's; what proxies receive is TracingXdsTest's.
 */
class TracingApiTest extends ServerTest {

    private static final String ZIPKIN = "{\"provider\":\"zipkin\",\"samplingPercent\":12.5,"
            + "\"zipkin\":{\"collector\":\"zipkin.observability:9411\"}}";
    private static final String XRAY = "{\"provider\":\"xray\",\"samplingPercent\":5,"
            + "\"xray\":{\"daemonAddress\":\"127.0.0.1:2000\",\"segmentName\":\"user-service\"}}";

    private HttpResponse<String> send(String method, String path, String body, String ifMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void settingsAreCreatedReadReplacedAtTheirVersionAndDeleted() throws Exception {
        String mesh = uniqueName("trace");
        appMesh.createMesh(r -> r.meshName(mesh));
        String path = "/v1/meshes/" + mesh + "/tracing";
        assertThat(send("GET", path, null).statusCode()).as("tracing is off until set").isEqualTo(404);

        HttpResponse<String> created = send("PUT", path, ZIPKIN);
        JsonNode first = json(created, 200);
        assertThat(first.get("version").asLong()).isEqualTo(1);
        assertThat(first.get("meshName").asString()).isEqualTo(mesh);
        assertThat(first.at("/spec/provider").asString()).isEqualTo("zipkin");
        assertThat(first.at("/spec/samplingPercent").asDouble()).isEqualTo(12.5);
        assertThat(first.at("/spec/zipkin/collector").asString()).isEqualTo("zipkin.observability:9411");
        assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");

        HttpResponse<String> read = send("GET", path, null);
        assertThat(json(read, 200)).isEqualTo(first);
        assertThat(read.headers().firstValue("ETag")).hasValue("\"1\"");

        JsonNode second = json(send("PUT", path, XRAY, "\"1\""), 200);
        assertThat(second.get("version").asLong()).isEqualTo(2);
        assertThat(second.at("/spec/provider").asString()).isEqualTo("xray");
        assertThat(second.at("/spec/xray/segmentName").asString()).isEqualTo("user-service");
        assertThat(second.at("/spec/zipkin").isMissingNode() || second.at("/spec/zipkin").isNull()).isTrue();

        // a writer who read version 1 loses, and nothing changes
        HttpResponse<String> stale = send("PUT", path, ZIPKIN, "\"1\"");
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
        assertThat(stale.headers().firstValue("x-amzn-ErrorType")).hasValue("PreconditionFailedException");
        assertThat(stale.body()).contains("at version 2, not at version 1 as If-Match requires");
        HttpResponse<String> staleDelete = send("DELETE", path, null, "1");
        assertThat(staleDelete.statusCode()).as(staleDelete.body()).isEqualTo(412);
        assertThat(json(send("GET", path, null), 200)).isEqualTo(second);

        JsonNode deleted = json(send("DELETE", path, null, "\"2\""), 200);
        assertThat(deleted.at("/spec/provider").asString()).isEqualTo("xray");
        assertThat(send("GET", path, null).statusCode()).as("tracing is off again").isEqualTo(404);
        assertThat(send("DELETE", path, null).statusCode()).as("nothing left to turn off").isEqualTo(404);
        // If-Match on settings that do not exist (yet) fails rather than creating them
        assertThat(send("PUT", path, ZIPKIN, "\"2\"").statusCode()).isEqualTo(412);
        assertThat(json(send("PUT", path, ZIPKIN), 200).get("version").asLong()).as("created anew").isEqualTo(1);
    }

    @Test
    void defaultsAreLeftOutAndTheSettingsGoWithTheirMesh() throws Exception {
        String mesh = uniqueName("trace");
        appMesh.createMesh(r -> r.meshName(mesh));
        String path = "/v1/meshes/" + mesh + "/tracing";
        JsonNode xray = json(send("PUT", path, "{\"provider\":\"xray\"}"), 200);
        assertThat(xray.get("spec").has("samplingPercent")).as("absent: the provider's own default").isFalse();

        appMesh.deleteMesh(r -> r.meshName(mesh));
        assertThat(send("GET", path, null).statusCode()).isEqualTo(404);
        assertThat(send("PUT", path, ZIPKIN).statusCode()).as("no mesh, nothing stored").isEqualTo(404);
        appMesh.createMesh(r -> r.meshName(mesh));
        assertThat(send("GET", path, null).statusCode()).as("a new mesh of the same name starts without tracing")
                .isEqualTo(404);
    }
}
