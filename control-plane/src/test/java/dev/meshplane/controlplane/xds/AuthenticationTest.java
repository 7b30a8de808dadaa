package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.appmesh.AppMeshClient;
import software.amazon.awssdk.services.appmesh.model.AppMeshException;
import software.amazon.awssdk.services.appmesh.model.ForbiddenException;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With authentication on: the API wants a bearer token or a SigV4 signature from a Meshplane access
 * key (checked, not just parsed), roles are enforced per mesh, xDS streams need a proxy token for
 * their own node, revocation cuts a stream off, and every credential issued or revoked and every
 * write leaves an audit row naming who.
 */
class AuthenticationTest extends AuthenticatedServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonNode audit(String query) throws Exception {
        return ok(call("GET", "/v1/audit?" + query, null, ADMIN)).get("entries");
    }

    @Test
    void callsWithoutValidCredentialsGet401AndProbesStayOpen() throws Exception {
        HttpResponse<String> none = call("GET", "/v20190125/meshes", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("x-amzn-ErrorType")).hasValue("UnauthorizedException");
        assertThat(JSON.readTree(none.body()).get("message").asString()).contains("authentication required");
        String mesh = uniqueName("refused");
        assertThat(call("GET", "/v20190125/meshes/" + mesh, null, "not-a-token").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/actuator/health/readiness", null, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/v3/api-docs", null, null).statusCode()).isEqualTo(200);
        String entries = awaitAudit("mesh=" + mesh + "&action=AuthenticationFailed", "bearer token",
                "GET /v20190125/meshes/" + mesh, "unknown, expired or revoked token");
        assertThat(entries).as("the token itself is never written").doesNotContain("not-a-token");
        awaitAudit("actor=anonymous&action=AuthenticationFailed", "GET /v20190125/meshes\"", "no credentials");
    }

    @Test
    void aViewerReadsButCannotWriteAndCannotManageCredentials() throws Exception {
        String mesh = meshWithNodes();
        JsonNode issued = ok(call("POST", "/v1/tokens", "{\"name\":\"dashboards\",\"role\":\"viewer\",\"meshes\":[\"" + mesh
                + "\"],\"expiresInSeconds\":3600}", ADMIN));
        String viewer = issued.get("token").asString();
        assertThat(ok(call("GET", "/v20190125/meshes/" + mesh, null, viewer)).at("/meshName").asString()).isEqualTo(mesh);
        HttpResponse<String> write = call("DELETE", "/v20190125/meshes/" + mesh + "/virtualNodes/other", null, viewer);
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.headers().firstValue("x-amzn-ErrorType")).hasValue("ForbiddenException");
        assertThat(write.body()).contains("dashboards", "needs editor");
        awaitAudit("mesh=" + mesh + "&action=AccessDenied", "dashboards (" + issued.get("id").asString() + ")",
                "DELETE /v20190125/meshes/" + mesh + "/virtualNodes/other", "needs editor");
        assertThat(call("GET", "/v20190125/meshes/someone-elses-mesh", null, viewer).statusCode()).isEqualTo(403);
        String other = meshWithNodes();
        JsonNode listed = ok(call("GET", "/v20190125/meshes?limit=100", null, viewer)).get("meshes");
        assertThat(listed.toString()).as("ListMeshes shows the viewer's mesh only").contains(mesh).doesNotContain(other);
        assertThat(call("POST", "/v1/tokens", "{\"name\":\"x\",\"role\":\"admin\",\"meshes\":[\"*\"]}", viewer).statusCode())
                .isEqualTo(403);
        assertThat(call("GET", "/v1/audit", null, viewer).statusCode()).isEqualTo(403);
        assertThat(audit("action=IssueApiToken").toString()).contains(issued.get("id").asString(), "bootstrap admin token");

        ok(call("DELETE", "/v1/tokens/" + issued.get("id").asString(), null, ADMIN));
        assertThat(call("GET", "/v20190125/meshes/" + mesh, null, viewer).statusCode()).as("revoked").isEqualTo(401);
        assertThat(audit("action=RevokeApiToken").toString()).contains(issued.get("id").asString());
    }

    @Test
    void awsSdkClientsSignWithIssuedAccessKeysAndAWrongSecretIsRefused() throws Exception {
        String mesh = meshWithNodes();
        String[] key = accessKey("terraform", "editor", mesh);
        String id = key[0];
        String secret = key[1];
        try (AppMeshClient signed = appMeshClient(port, id, secret);
                AppMeshClient wrong = appMeshClient(port, id, secret + "x")) {
            signed.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("by-terraform").spec(VirtualNodeSpec.builder()
                    .listeners(l -> l.portMapping(p -> p.port(9090).protocol(PortProtocol.HTTP)))
                    .serviceDiscovery(d -> d.dns(dns -> dns.hostname("by-terraform.local"))).build()));
            assertThat(signed.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("by-terraform")).virtualNode()
                    .metadata().version()).isEqualTo(1L);
            // tags carry the ARN in the query string, which is signed too
            String arn = signed.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("by-terraform")).virtualNode().metadata().arn();
            signed.tagResource(r -> r.resourceArn(arn).tags(t -> t.key("team").value("platform")));
            assertThatThrownBy(() -> wrong.listVirtualNodes(r -> r.meshName(mesh)))
                    .isInstanceOfSatisfying(AppMeshException.class, e -> assertThat(e.statusCode()).isEqualTo(401));
            awaitAudit("mesh=" + mesh + "&action=AuthenticationFailed", "access key " + id, "signature does not match");
            assertThatThrownBy(() -> signed.createMesh(r -> r.meshName(uniqueName("not-allowed"))))
                    .isInstanceOf(ForbiddenException.class);
        }
        JsonNode entries = audit("mesh=" + mesh + "&action=CreateVirtualNode");
        assertThat(entries.toString()).contains("terraform (" + id + ")", "virtual node 'by-terraform'");
        assertThat(entries.get(0).get("versionAfter").asLong()).isEqualTo(1);
        assertThat(audit("mesh=" + mesh + "&action=TagResource").toString()).contains(id);
        assertThat(audit("action=IssueAccessKey").toString()).contains(id).doesNotContain(secret);
    }

    @Test
    void xdsStreamsNeedATokenForTheirOwnNodeAndARevokedTokenIsCutOff() throws Exception {
        String mesh = meshWithNodes();
        ok(call("PUT", "/v1/meshes/" + mesh + "/mtls", "{\"mode\":\"STRICT\"}", ADMIN));
        String node = "mesh/" + mesh + "/virtualNode/api";
        JsonNode issued = ok(call("POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"api\"}", ADMIN));
        String token = issued.get("token").asString();
        JsonNode forOther = ok(call("POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"other\"}", ADMIN));

        DiscoveryRequest secrets = DiscoveryRequest.newBuilder().setNode(AdsStream.node(node)).setTypeUrl(AdsStream.SDS)
                .addResourceNames("meshplane:identity").build();
        try (AdsStream anonymous = new AdsStream(xds.port())) {
            anonymous.send(secrets);
            assertThat(anonymous.next(1500)).as("no token: nothing, and no private key").isNull();
            assertThat(anonymous.ended.getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
        }
        try (AdsStream impostor = new AdsStream(xds.port(), forOther.get("token").asString())) {
            impostor.send(secrets);
            assertThat(impostor.next(1500)).as("a token for another node: nothing").isNull();
            assertThat(impostor.ended.getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
        }
        try (AdsStream proxy = new AdsStream(xds.port(), token)) {
            proxy.send(secrets);
            DiscoveryResponse response = proxy.next(5000);
            assertThat(response).as("its own token: its certificate").isNotNull();
            assertThat(response.getResourcesCount()).isEqualTo(1);
            proxy.send(AdsStream.ack(response, "meshplane:identity"));

            ok(call("DELETE", "/v1/meshes/" + mesh + "/proxyTokens/" + issued.get("id").asString(), null, ADMIN));
            long deadline = System.currentTimeMillis() + 5000;
            while (proxy.ended == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(proxy.ended).as("cut off at revocation").isNotNull();
            assertThat(proxy.ended.getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
        }
        try (AdsStream again = new AdsStream(xds.port(), token)) {
            again.send(secrets);
            assertThat(again.next(1500)).as("a revoked token opens nothing").isNull();
        }
        awaitAudit("actor=anonymous&action=XdsStreamRefused", "no credentials");
        awaitAudit("mesh=" + mesh + "&action=XdsStreamRefused", "other (" + forOther.get("id").asString() + ")", node,
                "is not the node this credential was issued for");
        awaitAudit("mesh=" + mesh + "&action=XdsStreamCutOff", node + " (" + issued.get("id").asString() + ")",
                "revoked or has expired");
        awaitAudit("actor=bearer%20token&action=XdsStreamRefused", "invalid, altered, expired or revoked proxy token");
        assertThat(audit("mesh=" + mesh + "&action=IssueProxyToken").toString()).contains(issued.get("id").asString(), node);
        assertThat(audit("action=RevokeProxyToken").toString()).contains(issued.get("id").asString());
        assertThat(audit("mesh=" + mesh + "&action=UpdateMeshMtls").toString()).contains("STRICT");
    }

    @Test
    void proxyTokensAreSignedAndAnAlteredOrForeignOneOpensNothing() throws Exception {
        String mesh = meshWithNodes();
        String node = "mesh/" + mesh + "/virtualNode/api";
        JsonNode issued = ok(call("POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"api\"}", ADMIN));
        String token = issued.get("token").asString();
        com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("HS256");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(node);
        assertThat(jwt.getJWTClaimsSet().getJWTID()).isEqualTo(issued.get("id").asString());
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
                .as("a year unless the issuer says otherwise").isBetween(java.time.Instant.now().plus(java.time.Duration.ofDays(364)),
                        java.time.Instant.now().plus(java.time.Duration.ofDays(366)));
        assertThat(issued.get("expiresAt").asLong()).isEqualTo(jwt.getJWTClaimsSet().getExpirationTime().toInstant().getEpochSecond());

        // the same token with its subject changed to another node: the signature no longer holds
        String[] parts = token.split("\\.");
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new String(
                java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("virtualNode/api", "virtualNode/other").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String altered = parts[0] + "." + otherPayload + "." + parts[2];
        // the same claims signed with a key that is not Meshplane's
        com.nimbusds.jwt.SignedJWT foreign = new com.nimbusds.jwt.SignedJWT(jwt.getHeader(), jwt.getJWTClaimsSet());
        byte[] strangerKey = new byte[32];
        new java.security.SecureRandom().nextBytes(strangerKey);
        foreign.sign(new com.nimbusds.jose.crypto.MACSigner(strangerKey));
        DiscoveryRequest secrets = DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.SDS).addResourceNames("meshplane:identity").build();
        for (String[] attempt : new String[][] {{altered, "mesh/" + mesh + "/virtualNode/other"}, {foreign.serialize(), node}}) {
            try (AdsStream stream = new AdsStream(xds.port(), attempt[0])) {
                stream.send(secrets.toBuilder().setNode(AdsStream.node(attempt[1])).build());
                assertThat(stream.next(1500)).as("nothing for an altered or foreign token").isNull();
                assertThat(stream.ended.getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
            }
        }
        try (AdsStream genuine = new AdsStream(xds.port(), token)) {
            genuine.send(secrets.toBuilder().setNode(AdsStream.node(node)).build());
            assertThat(genuine.next(5000)).as("the genuine token is served").isNotNull();
        }
    }

    /** A channel whose streams carry SigV4 headers made by the AWS SDK's own signer, as Envoy's AWS IAM credentials do. */
    private io.grpc.ManagedChannel signedChannel(String accessKeyId, String secret) {
        String authority = "localhost:" + xds.port();
        var request = software.amazon.awssdk.http.SdkHttpRequest.builder()
                .method(software.amazon.awssdk.http.SdkHttpMethod.POST)
                .uri(URI.create("http://" + authority + "/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources"))
                .build();
        var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(r -> r
                .identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(accessKeyId, secret))
                .request(request)
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "appmesh")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        io.grpc.Metadata headers = new io.grpc.Metadata();
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(io.grpc.Metadata.Key.of(name.toLowerCase(), io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                        String.join(",", values));
            }
        });
        return io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("localhost", xds.port()).usePlaintext()
                .intercept(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers)).build();
    }

    @Test
    void xdsStreamsSignedWithAnIssuedAccessKeyAreServedForItsMeshesOnly() throws Exception {
        String mesh = meshWithNodes();
        String[] key = accessKey("envoy-fleet", "admin", mesh);
        String id = key[0];
        String secret = key[1];
        DiscoveryRequest cds = DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/api"))
                .setTypeUrl(AdsStream.CDS).build();
        try (AdsStream signed = new AdsStream(signedChannel(id, secret))) {
            signed.send(cds);
            assertThat(signed.next(5000)).as("a stream signed with an issued key is served").isNotNull();
        }
        try (AdsStream wrongSecret = new AdsStream(signedChannel(id, secret + "x"))) {
            wrongSecret.send(cds);
            assertThat(wrongSecret.next(1500)).isNull();
            assertThat(wrongSecret.ended.getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
        }
        try (AdsStream otherMesh = new AdsStream(signedChannel(id, secret))) {
            otherMesh.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/elsewhere/virtualNode/api"))
                    .setTypeUrl(AdsStream.CDS).build());
            assertThat(otherMesh.next(1500)).as("a node outside the key's meshes").isNull();
            assertThat(otherMesh.ended.getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
        }
    }

    @Test
    void badCredentialRequestsAre400sNamingTheMember() throws Exception {
        String mesh = meshWithNodes();
        String[][] cases = {
            {"POST", "/v1/tokens", "[]", "expected an object"},
            {"POST", "/v1/tokens", "{not json", "not valid JSON"},
            {"POST", "/v1/tokens", "{\"name\":\"x\",\"role\":\"root\",\"meshes\":[\"*\"]}", "role: must be admin, editor or viewer"},
            {"POST", "/v1/tokens", "{\"name\":\"x\",\"role\":\"viewer\"}", "meshes:"},
            {"POST", "/v1/tokens", "{\"role\":\"viewer\",\"meshes\":[\"*\"]}", "name: is required"},
            {"POST", "/v1/accessKeys", "{\"name\":\"x\",\"role\":\"viewer\",\"meshes\":[\"*\"],\"expiresInSeconds\":5}",
                "expiresInSeconds: must be between"},
            {"POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"api\",\"virtualGateway\":\"g\"}",
                "exactly one of [virtualNode, virtualGateway]"},
            {"GET", "/v1/audit?limit=0", null, "limit: must be between 1 and 1000"},
            {"GET", "/v1/audit?since=yesterday", null, "since"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = call(c[0], c[1], c[2], ADMIN);
            assertThat(response.statusCode()).as(c[1] + " " + c[2] + ": " + response.body()).isEqualTo(400);
            assertThat(response.body()).as(c[1]).contains(c[3]);
        }
        assertThat(call("POST", "/v1/meshes/" + mesh + "/proxyTokens", "{\"virtualNode\":\"ghost\"}", ADMIN).statusCode())
                .isEqualTo(404);
        assertThat(call("DELETE", "/v1/tokens/tok-does-not-exist", null, ADMIN).statusCode()).isEqualTo(404);
        assertThat(ok(call("GET", "/v1/tokens", null, ADMIN)).toString()).as("nothing was issued by the refused calls")
                .doesNotContain("\"name\":\"x\"");
    }
}
