package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every credential carries its role on xDS and SDS too, decided in one place
 * ({@code Principal.xds}): only a proxy credential for the node receives its secrets
 * ({@code meshplane:identity}, the private key); an admin of the mesh may stream its configuration
 * only; viewers and editors may not stream as a proxy. A proxy access key is usable for its own
 * node only, and on REST for nothing but that node's certificate.
 */
class XdsRolesTest extends AuthenticatedServerTest {

    private static DiscoveryRequest request(String mesh, String node, String typeUrl, String... names) {
        return DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/" + node)).setTypeUrl(typeUrl)
                .addAllResourceNames(java.util.List.of(names)).build();
    }

    private ManagedChannel signed(String[] key) {
        return SignedRequests.channel(xds.port(), SignedRequests.signStream(xds.port(), key[0], key[1], "us-east-1", "appmesh",
                Instant.now()));
    }

    /** Sends the request and expects the stream closed with this code, having received nothing. */
    private static void refused(AdsStream stream, DiscoveryRequest request, Status.Code code) throws Exception {
        stream.send(request);
        assertThat(stream.next(1500)).as("nothing for a refused stream").isNull();
        assertThat(stream.awaitEnd(5000)).as("closed").isNotNull();
        assertThat(stream.ended.getCode()).isEqualTo(code);
    }

    @Test
    void onlyAProxyCredentialForTheNodeReceivesItsPrivateKey() throws Exception {
        String mesh = meshWithNodes();
        ok(call("PUT", "/v1/meshes/" + mesh + "/mtls", "{\"mode\":\"STRICT\"}", ADMIN));
        DiscoveryRequest identity = request(mesh, "api", AdsStream.SDS, "meshplane:identity");
        DiscoveryRequest clusters = request(mesh, "api", AdsStream.CDS);

        String[] viewerKey = accessKey("viewer-key", "viewer", mesh);
        try (AdsStream viewer = new AdsStream(signed(viewerKey))) {
            refused(viewer, identity, Status.Code.PERMISSION_DENIED);
        }
        try (AdsStream viewer = new AdsStream(signed(viewerKey))) {
            refused(viewer, clusters, Status.Code.PERMISSION_DENIED);
        }
        try (AdsStream editor = new AdsStream(signed(accessKey("editor-key", "editor", mesh)))) {
            refused(editor, clusters, Status.Code.PERMISSION_DENIED);
        }
        String viewerToken = ok(call("POST", "/v1/tokens", "{\"name\":\"viewer-token\",\"role\":\"viewer\",\"meshes\":[\"" + mesh
                + "\"]}", ADMIN)).get("token").asString();
        try (AdsStream viewer = new AdsStream(xds.port(), viewerToken)) {
            refused(viewer, clusters, Status.Code.PERMISSION_DENIED);
        }

        // an admin, by access key or bearer token: the configuration, never the secrets
        for (ManagedChannel channel : new ManagedChannel[] {signed(accessKey("admin-key", "admin", mesh)), null}) {
            try (AdsStream admin = channel == null ? new AdsStream(xds.port(), ADMIN) : new AdsStream(channel)) {
                admin.send(clusters);
                assertThat(admin.next(5000)).as("an admin of the mesh: its configuration").isNotNull();
                refused(admin, identity, Status.Code.PERMISSION_DENIED);
            }
        }

        String[] adminDeltaKey = accessKey("admin-delta", "admin", mesh);
        try (AdsStream adminDelta = new AdsStream(SignedRequests.channel(xds.port(), SignedRequests.signStream(xds.port(),
                SignedRequests.DELTA_ADS_METHOD, adminDeltaKey[0], adminDeltaKey[1], "us-east-1", "appmesh", Instant.now())))) {
            adminDelta.sendDelta(io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest.newBuilder()
                    .setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/api")).setTypeUrl(AdsStream.SDS)
                    .addResourceNamesSubscribe("meshplane:identity").build());
            assertThat(adminDelta.nextDelta(1500)).as("delta SDS: the same rule").isNull();
            assertThat(adminDelta.awaitEnd(5000)).as("closed").isNotNull();
            assertThat(adminDelta.ended.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        }

        String[] proxyKey = proxyAccessKey(mesh, "api");
        try (AdsStream proxy = new AdsStream(signed(proxyKey))) {
            proxy.send(identity);
            DiscoveryResponse response = proxy.next(5000);
            assertThat(response).as("the node's own proxy key: its certificate").isNotNull();
            assertThat(response.getResourcesCount()).isEqualTo(1);
            assertThat(response.getResources(0).unpack(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret.class)
                    .getName()).isEqualTo("meshplane:identity");
        }
        try (AdsStream impostor = new AdsStream(signed(proxyKey))) {
            refused(impostor, request(mesh, "other", AdsStream.SDS, "meshplane:identity"), Status.Code.PERMISSION_DENIED);
        }

        awaitAudit("actor=viewer-key%20(" + viewerKey[0] + ")&action=XdsStreamRefused", "a viewer credential",
                "may not stream as a proxy");
        awaitAudit("mesh=" + mesh + "&action=XdsStreamRefused", "admin-key", "may not receive a proxy's secrets",
                "bootstrap admin token", "viewer-token", "editor-key",
                "is not the node this credential was issued for (mesh/" + mesh + "/virtualNode/api)");
    }

    @Test
    void aProxyAccessKeyReadsItsOwnCertificateOnRestAndNothingElseAndIsCutOffWhenRevoked() throws Exception {
        String mesh = meshWithNodes();
        String[] proxyKey = proxyAccessKey(mesh, "api");
        String host = "localhost:" + port;
        for (String[] attempt : new String[][] {
            {"/v1/meshes/" + mesh + "/virtualNodes/api/certificate", "200"},
            {"/v1/meshes/" + mesh + "/virtualNodes/other/certificate", "403"},
            {"/v20190125/meshes/" + mesh, "403"},
            {"/v20190125/meshes/" + mesh + "/virtualNodes/api", "403"},
            {"/v20190125/meshes", "403"},
        }) {
            Map<String, String> headers = SignedRequests.sign("GET", URI.create("http://" + host + attempt[0]), null, proxyKey[0],
                    proxyKey[1], "us-east-1", "appmesh", Instant.now());
            SignedRequests.Raw response = SignedRequests.send(port, "GET", attempt[0], headers, null);
            assertThat(response.status()).as(attempt[0] + ": " + response.body()).isEqualTo(Integer.parseInt(attempt[1]));
            if (response.status() == 200) {
                assertThat(response.body()).contains("privateKeyPem");
            }
        }
        assertThat(call("POST", "/v1/accessKeys", "{\"name\":\"p\",\"role\":\"proxy\",\"meshes\":[\"" + mesh + "\"]}", ADMIN)
                .body()).contains("role: proxy credentials are bound to a node");
        assertThat(call("POST", "/v1/tokens", "{\"name\":\"p\",\"role\":\"proxy\",\"meshes\":[\"" + mesh + "\"]}", ADMIN)
                .statusCode()).isEqualTo(400);
        assertThat(call("POST", "/v1/meshes/" + mesh + "/proxyAccessKeys", "{\"virtualNode\":\"ghost\"}", ADMIN).statusCode())
                .isEqualTo(404);

        try (AdsStream proxy = new AdsStream(signed(proxyKey))) {
            proxy.send(request(mesh, "api", AdsStream.CDS));
            assertThat(proxy.next(5000)).isNotNull();
            ok(call("DELETE", "/v1/meshes/" + mesh + "/proxyAccessKeys/" + proxyKey[0], null, ADMIN));
            assertThat(proxy.awaitEnd(5000)).as("cut off at revocation").isNotNull();
            assertThat(proxy.ended.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        awaitAudit("mesh=" + mesh + "&action=IssueProxyAccessKey", proxyKey[0], "mesh/" + mesh + "/virtualNode/api");
        awaitAudit("mesh=" + mesh + "&action=RevokeProxyAccessKey", proxyKey[0]);
    }
}
