package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.importing.ApplyDocument;
import dev.meshplane.api.importing.ApplyResource;
import dev.meshplane.api.importing.ImportOptions;
import dev.meshplane.api.importing.ImportResult;
import dev.meshplane.api.importing.Imports;
import dev.meshplane.api.importing.SourceDocument;
import dev.meshplane.api.importing.YamlDocuments;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.controlplane.export.ResourcesThroughApi;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsServerCredentials;
import io.grpc.xds.XdsChannelCredentials;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The seed's Kubernetes examples imported as its users would (acm=built-in, the A/B routes attached to
 * user-service-router), made acceptable where App Mesh refuses them too, created through the App Mesh API and used:
 * a proxyless grpc-java client calls user-service.mylearning.local with mesh mTLS from the built-in CA (what
 * acm=built-in maps the seed's STRICT ACM listener to), and its calls split about 90/10 between user-service-v1 and
 * user-service-v2.
 *
 * <p>What a user adds or changes, and why: the A/B route's retry policy names no retry event, which App Mesh's
 * API refuses ({@code HttpRetryPolicy}), so it gets the events the refusal suggests; the seed has no node that calls
 * user-service, so a client node lists it as a backend; and the seed's user-service-v1 discovers
 * {@code mylearning.local/user-service} with no attribute, so it selects v2's instances as well (Cloud Map
 * selects every instance when no attribute is given) and v1 and v2 would be indistinguishable: v1's discovery gets
 * {@code version: v1}, as v2's has {@code version: v2}. The recommendation nodes the A/B routes send to (stand-ins
 * in the fixtures, not in the seed) stay as the fixtures have them, without a listener: those routes are a 503 for
 * Envoy and, for gRPC clients, routes whose calls fail with UNAVAILABLE, while the rest of the router's route
 * configuration is served (before issue 12's fix the client got nothing at all). The Cloud Map namespace is this
 * test's own, as the registry is shared by the tests of one server.
 */
class ImportedSeedRoutingTest extends ServerTest {

    private static final Path SEED = Path.of("../api/src/test/resources/importing/seed");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SERVICE = "user-service.mylearning.local";

    @TempDir
    Path work;

    @Test
    void aProxylessClientSplitsNinetyTenThroughTheImportedSeed() throws Exception {
        List<SourceDocument> documents = new ArrayList<>();
        for (String file : List.of("user-service.yaml", "user-service-v1.yaml", "ab-test-routes.yaml", "rest-of-mesh.yaml")) {
            documents.addAll(YamlDocuments.parse(file, Files.readString(SEED.resolve(file))));
        }
        ImportResult read = Imports.read(documents, new ImportOptions(null, null, true, "user-service-router", Map.of(), null));
        assertThat(String.join("\n", read.report())).as("the import's report")
                .contains("podSelector", "namespaceSelector", "retryPolicy");

        String mesh = uniqueName("seedroute");
        String namespace = uniqueName("mylearning") + ".local";
        List<ApplyResource> resources = new ArrayList<>();
        for (ApplyResource r : read.document().resources()) {
            ObjectNode spec = (ObjectNode) r.spec().deepCopy();
            if (r.kind() == ResourceKind.ROUTE && r.name().equals("user-service-ab-test")) {
                ((ObjectNode) spec.get("httpRoute").get("retryPolicy")).putArray("httpRetryEvents")
                        .add("server-error").add("gateway-error");
            }
            if (r.kind() == ResourceKind.VIRTUAL_NODE && r.name().startsWith("user-service-v")) {
                ObjectNode cloudMap = (ObjectNode) spec.get("serviceDiscovery").get("awsCloudMap");
                cloudMap.put("namespaceName", namespace);
                if (r.name().equals("user-service-v1")) {
                    cloudMap.putArray("attributes").addObject().put("key", "version").put("value", "v1");
                }
            }
            resources.add(new ApplyResource(r.kind(), mesh, r.parentName(), r.kind() == ResourceKind.MESH ? mesh : r.name(),
                    spec, r.tags(), null));
        }
        resources.add(new ApplyResource(ResourceKind.VIRTUAL_NODE, mesh, null, "frontend",
                JSON.readTree("{\"backends\":[{\"virtualService\":{\"virtualServiceName\":\"" + SERVICE + "\"}}]}"), List.of(), null));
        ResourcesThroughApi.create(port, new ApplyDocument(resources)).forEach((resource, response) ->
                assertThat(response.statusCode()).as(resource + ": " + response.body()).isEqualTo(200));
        // migration.md: ACM mapped to the built-in CA needs the mesh's CA on
        assertThat(send("PUT", "/v1/meshes/" + mesh + "/mtls", "{\"mode\":\"STRICT\"}").statusCode()).isEqualTo(200);

        try (BackendServer v1 = new BackendServer("v1", tls(mesh, "user-service-v1"));
                BackendServer v2 = new BackendServer("v2", tls(mesh, "user-service-v2"))) {
            register(namespace, "v1-a", v1, "v1");
            register(namespace, "v2-a", v2, "v2");
            HttpResponse<String> bootstrap = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/frontend/bootstrap?format=grpc&certDir="
                    + writeCertificate(mesh, "frontend"), null);
            assertThat(bootstrap.statusCode()).as(bootstrap.body()).isEqualTo(200);
            ManagedChannel channel = XdsClients.xdsChannel(bootstrap.body(), SERVICE,
                    XdsChannelCredentials.create(InsecureChannelCredentials.create()));
            try {
                assertThat(XdsClients.await(Duration.ofSeconds(15), () -> XdsClients.tryCall(channel) != null))
                        .as("the first call through the imported seed; the proxies: " + send("GET", "/v1/proxies", null).body())
                        .isTrue();
                Map<String, Integer> counts = new HashMap<>();
                for (int i = 0; i < 200; i++) {
                    counts.merge(XdsClients.call(channel), 1, Integer::sum);
                }
                assertThat(counts.keySet()).containsExactlyInAnyOrder("v1", "v2");
                // 10% of 200 is 20, with a standard deviation of about 4.2
                assertThat(counts.get("v2")).as("10% of 200, within 7 points").isBetween(6, 34);
                // the mesh certificates would hide a v1 that selects v2's instance too (the client refuses v2's
                // certificate on v1's cluster), so each version's endpoints are checked as the client was sent them
                JsonNode config = JSON.readTree(send("GET", "/v1/proxies/mesh/" + mesh + "/virtualNode/frontend/config", null).body());
                assertThat(ports(config, "user-service-v1")).containsExactly(v1.port());
                assertThat(ports(config, "user-service-v2")).containsExactly(v2.port());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The endpoint ports of the load assignments of the given node's clusters, wherever they sit in the dump. */
    private static List<Integer> ports(JsonNode config, String node) {
        List<Integer> ports = new ArrayList<>();
        if (config.isObject() && config.path("clusterName").asString("").contains("_" + node + "_")) {
            config.findValues("portValue").forEach(p -> ports.add(p.asInt()));
        } else {
            config.forEach(child -> ports.addAll(ports(child, node)));
        }
        return ports;
    }

    /** TLS as the node's sidecar would serve it: its mesh certificate, and callers' certificates required. */
    private TlsServerCredentials tls(String mesh, String node) throws Exception {
        Path dir = writeCertificate(mesh, node);
        return (TlsServerCredentials) TlsServerCredentials.newBuilder()
                .keyManager(dir.resolve("cert.pem").toFile(), dir.resolve("key.pem").toFile())
                .trustManager(dir.resolve("ca.pem").toFile())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build();
    }

    /** The node's certificate, key and trust bundle as files, where gRPC's file_watcher provider reads them. */
    private Path writeCertificate(String mesh, String node) throws Exception {
        HttpResponse<String> response = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/" + node + "/certificate", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode certificate = JSON.readTree(response.body());
        Path dir = Files.createDirectories(work.resolve(node));
        Files.writeString(dir.resolve("ca.pem"), certificate.get("trustBundlePem").asString());
        Files.writeString(dir.resolve("key.pem"), certificate.get("privateKeyPem").asString());
        Files.writeString(dir.resolve("cert.pem"), certificate.get("certificateChainPem").asString());
        return dir;
    }

    private void register(String namespace, String id, BackendServer server, String version) throws Exception {
        HttpResponse<String> response = send("PUT", "/v1/registry/" + namespace + "/user-service/instances/" + id,
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"127.0.0.1\",\"AWS_INSTANCE_PORT\":\"" + server.port()
                        + "\",\"version\":\"" + version + "\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
