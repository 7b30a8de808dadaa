package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Bookkeeping an attacker could bend. Streams the server refused or closed itself leave no proxy in
 * {@code /v1/proxies} nor in {@code meshplane_xds_proxies}; a node id with a line feed writes no
 * forged line to the log nor to the audit log; registry writes leave audit rows; and a flood of
 * wrong tokens grows the audit log by a bounded number of rows, the rest counted in one.
 */
@TestPropertySource(properties = {"meshplane.security.authentication=enabled",
        "meshplane.security.bootstrap-admin-token=bootstrap-secret-for-tests",
        "meshplane.audit.refusal-window=5s", "meshplane.audit.refusals-per-caller=5",
        "meshplane.audit.refusals-per-window=50"})
@ExtendWith(OutputCaptureExtension.class)
class BookkeepingTest extends ServerTest {

    private static final String ADMIN = "bootstrap-secret-for-tests";

    @Autowired
    XdsServer xds;

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        return json(response, 200);
    }

    private String meshWithNodes() throws Exception {
        String mesh = uniqueName("books");
        call("PUT", "/v20190125/meshes", "{\"meshName\":\"" + mesh + "\"}");
        for (String node : new String[] {"api", "other"}) {
            call("PUT", "/v20190125/meshes/" + mesh + "/virtualNodes", "{\"virtualNodeName\":\"" + node + "\",\"spec\":"
                    + "{\"listeners\":[{\"portMapping\":{\"port\":8080,\"protocol\":\"http\"}}],"
                    + "\"serviceDiscovery\":{\"dns\":{\"hostname\":\"" + node + ".local\"}}}}");
        }
        return mesh;
    }

    private long listed(String mesh) throws Exception {
        JsonNode proxies = call("GET", "/v1/proxies", null).get("proxies");
        long n = 0;
        for (JsonNode proxy : proxies) {
            if (proxy.get("mesh").asString().equals(mesh)) {
                n++;
            }
        }
        return n;
    }

    private String gauge(String mesh) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
                        .header("Authorization", "Bearer " + ADMIN).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("meshplane_xds_proxies{") && l.contains("mesh=\"" + mesh + "\""))
                .findFirst().orElse("absent");
    }

    private static <T> T eventually(Supplier<T> value, T expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        T seen = value.get();
        while (!seen.equals(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            seen = value.get();
        }
        return seen;
    }

    private Supplier<Long> listedNow(String mesh) {
        return () -> {
            try {
                return listed(mesh);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void refusedNodeSwitchesAndRevokedTokensLeaveNoPhantomProxies() throws Exception {
        String mesh = meshWithNodes();
        JsonNode issued = call("POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"api\"}");
        String token = issued.get("token").asString();
        DiscoveryRequest asApi = DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/api"))
                .setTypeUrl(AdsStream.CDS).build();
        DiscoveryRequest asOther = asApi.toBuilder().setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/other")).build();
        for (int i = 0; i < 10; i++) {
            try (AdsStream stream = new AdsStream(xds.port(), token)) {
                stream.send(asApi);
                assertThat(stream.next(5000)).as("admitted as its own node").isNotNull();
                assertThat(listed(mesh)).isEqualTo(1);
                stream.send(asOther);
                assertThat(stream.next(1000)).isNull();
                assertThat(stream.ended.getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
                // the stream object stays open on the client side until close(): the server let go already
                assertThat(eventually(listedNow(mesh), 0L)).as("refusal " + i + " leaves no proxy listed").isEqualTo(0L);
            }
        }
        assertThat(gauge(mesh)).endsWith(" 0.0");

        try (AdsStream stream = new AdsStream(xds.port(), token)) {
            stream.send(asApi);
            assertThat(stream.next(5000)).isNotNull();
            assertThat(gauge(mesh)).endsWith(" 1.0");
            call("DELETE", "/v1/meshes/" + mesh + "/proxyTokens/" + issued.get("id").asString(), null);
            assertThat(eventually(() -> stream.ended != null, true)).as("cut off").isTrue();
            assertThat(eventually(listedNow(mesh), 0L)).as("a cut-off stream is not listed").isEqualTo(0L);
            assertThat(gauge(mesh)).endsWith(" 0.0");
        }
    }

    @Test
    void aLineFeedInANodeIdForgesNoLogLine(CapturedOutput output) throws Exception {
        String mesh = meshWithNodes();
        String token = call("POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"api\"}").get("token").asString();
        String forged = "mesh/" + mesh + "/virtualNode/api\n2026-01-01 INFO FORGED admin logged in";
        try (AdsStream stream = new AdsStream(xds.port(), token)) {
            stream.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(forged)).setTypeUrl(AdsStream.CDS).build());
            assertThat(stream.next(1500)).isNull();
            assertThat(stream.ended.getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
        }
        long deadline = System.currentTimeMillis() + 5000;
        while (!call("GET", "/v1/audit?action=XdsStreamRefused&limit=1000", null).toString().contains("INFO FORGED")
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        String audit = call("GET", "/v1/audit?action=XdsStreamRefused&limit=1000", null).toString();
        assertThat(audit).contains("virtualNode/api\\\\n2026-01-01 INFO FORGED");
        assertThat(output.getAll()).contains("virtualNode/api\\n2026-01-01 INFO FORGED")
                .doesNotContain("\n2026-01-01 INFO FORGED");
        assertThat(listed(mesh)).isEqualTo(0);
    }

    @Test
    void registryWritesLeaveAuditRows() throws Exception {
        String namespace = uniqueName("ns");
        String path = "/v1/registry/" + namespace + "/svc/instances/i-1";
        call("PUT", path, "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"10.0.0.5\",\"version\":\"v1\"}}");
        call("DELETE", path, null);
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .DELETE().header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(404);
        String target = namespace + "/svc/i-1";
        JsonNode registered = call("GET", "/v1/audit?action=RegisterInstance&limit=1000", null).get("entries");
        assertThat(registered.toString()).contains("\"target\":\"" + target + "\"", "AWS_INSTANCE_IPV4=10.0.0.5",
                "bootstrap admin token");
        JsonNode deregistered = call("GET", "/v1/audit?action=DeregisterInstance&limit=1000", null).get("entries");
        long rows = 0;
        for (JsonNode row : deregistered) {
            rows += row.get("target").asString().equals(target) ? 1 : 0;
        }
        assertThat(rows).as("one row for the deregistration, none for the 404").isEqualTo(1);
    }

    @Test
    void aFloodOfWrongTokensWritesABoundedNumberOfRows() throws Exception {
        String mesh = uniqueName("flood");
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/v20190125/meshes/" + mesh)).header("Authorization", "Bearer wrong-" + i).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
        }
        // the window ends within 5 s; its summary row then counts what was not written one by one
        long deadline = System.currentTimeMillis() + 15_000;
        long single;
        long counted;
        JsonNode entries;
        do {
            Thread.sleep(200);
            entries = call("GET", "/v1/audit?mesh=" + mesh + "&action=AuthenticationFailed&limit=1000", null).get("entries");
            single = 0;
            counted = 0;
            for (JsonNode row : entries) {
                if (row.get("actor").asString().equals("(throttled)")) {
                    counted += Long.parseLong(row.get("detail").asString().split(" ")[0]);
                } else {
                    single++;
                }
            }
        } while (single + counted < 100 && System.currentTimeMillis() < deadline);
        assertThat(single + counted).as(entries.toString()).isEqualTo(100);
        assertThat(single).as("rows of their own: 5 per window, and 100 requests span at most a few windows").isLessThanOrEqualTo(15);
        assertThat(entries.size()).isLessThanOrEqualTo(18);
        assertThat(entries.toString()).contains("more AuthenticationFailed refusals").doesNotContain("wrong-");
    }

    @Test
    void callersThatNameADifferentMeshEachTimeShareOneBudget() throws Exception {
        String prefix = uniqueName("spread") + "-";
        // 120 refusals over 60 meshes: never 5 for one caller and mesh, but past the window's 50
        for (int i = 0; i < 120; i++) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/v20190125/meshes/" + prefix + (i % 60))).header("Authorization", "Bearer wrong").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
        }
        long deadline = System.currentTimeMillis() + 15_000;
        long single;
        long counted;
        do {
            Thread.sleep(200);
            single = 0;
            counted = 0;
            for (JsonNode row : call("GET", "/v1/audit?action=AuthenticationFailed&limit=1000", null).get("entries")) {
                boolean throttled = row.get("actor").asString().equals("(throttled)");
                // past its bound on summaries a window counts the rest per action, with no mesh
                boolean ours = row.path("meshName").asString("").startsWith(prefix)
                        || throttled && row.path("meshName").isMissingNode() && row.path("target").asString("").contains(prefix);
                if (!ours) {
                    continue;
                }
                if (throttled) {
                    counted += Long.parseLong(row.get("detail").asString().split(" ")[0]);
                } else {
                    single++;
                }
            }
        } while (single + counted < 120 && System.currentTimeMillis() < deadline);
        assertThat(single + counted).isGreaterThanOrEqualTo(120);
        assertThat(single).as("rows of their own: one caller's 5 per window whatever the mesh, and 120 requests span a"
                + " few windows").isLessThanOrEqualTo(20);
    }

    /** An anonymous flood over invented meshes neither earns more rows nor hides an authenticated caller's refusals. */
    @Test
    void anAnonymousFloodDoesNotHideAnotherCallersRefusals() throws Exception {
        String prefix = uniqueName("flood") + "-";
        for (int i = 0; i < 60; i++) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v20190125/meshes/" + prefix
                    + i)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        }
        String mine = meshWithNodes();
        String other = meshWithNodes();
        String editor = call("POST", "/v1/tokens", "{\"name\":\"prober\",\"role\":\"editor\",\"meshes\":[\"" + mine
                + "\"]}").get("token").asString();
        for (int i = 0; i < 3; i++) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v20190125/meshes/" + other
                    + "/virtualNodes/api")).header("Authorization", "Bearer " + editor).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        }
        long deadline = System.currentTimeMillis() + 5000;
        long probes;
        do {
            Thread.sleep(100);
            probes = 0;
            for (JsonNode row : call("GET", "/v1/audit?action=AccessDenied&limit=1000", null).get("entries")) {
                if (row.get("actor").asString().startsWith("prober ") && other.equals(row.path("meshName").asString(""))) {
                    probes++;
                }
            }
        } while (probes < 3 && System.currentTimeMillis() < deadline);
        assertThat(probes).as("the prober's refusals, each a row of its own").isEqualTo(3);
        long anonymousRows = 0;
        for (JsonNode row : call("GET", "/v1/audit?action=AuthenticationFailed&limit=1000", null).get("entries")) {
            if (row.path("meshName").asString("").startsWith(prefix) && !row.get("actor").asString().equals("(throttled)")) {
                anonymousRows++;
            }
        }
        assertThat(anonymousRows).as("60 anonymous refusals over 60 meshes: one caller's budget per window").isLessThanOrEqualTo(10);
    }
}
