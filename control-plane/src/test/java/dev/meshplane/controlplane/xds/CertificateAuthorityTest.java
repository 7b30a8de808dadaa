package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.controlplane.security.Pem;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mesh's built-in CA and the mTLS switch through the API, and what a proxy receives on its ADS
 * stream: its certificate over SDS with its SPIFFE id, chaining to the trust bundle; listeners that
 * require client certificates; rotation with an overlap; an imported CA; bad input refused.
 */
class CertificateAuthorityTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    XdsServer xds;

    @Autowired
    DataSource dataSource;

    private String mesh;

    private String meshWithNode() {
        mesh = uniqueName("ca");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("api").spec(dev.meshplane.controlplane.Fixtures.node("api.local")));
        return "mesh/" + mesh + "/virtualNode/api";
    }

    @Test
    void theMtlsSwitchDefaultsToDisabledAndRefusesWhatItDoesNotKnow() throws Exception {
        meshWithNode();
        assertThat(json(send("GET", "/v1/meshes/" + mesh + "/mtls", null), 200).get("mode").asString()).isEqualTo("DISABLED");
        HttpResponse<String> bad = send("PUT", "/v1/meshes/" + mesh + "/mtls", "{\"mode\":\"LOOSE\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("mode");
        assertThat(send("PUT", "/v1/meshes/" + mesh + "/mtls", "{}").statusCode()).isEqualTo(400);
        assertThat(json(send("PUT", "/v1/meshes/" + mesh + "/mtls", "{\"mode\":\"STRICT\"}"), 200).get("mode").asString())
                .isEqualTo("STRICT");
        assertThat(json(send("GET", "/v1/meshes/" + mesh + "/mtls", null), 200).get("mode").asString()).isEqualTo("STRICT");
        assertThat(send("GET", "/v1/meshes/nowhere-" + mesh + "/mtls", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aProxyGetsItsSpiffeIdentityOverSdsAndListenersRequireClientCertificates() throws Exception {
        String node = meshWithNode();
        json(send("PUT", "/v1/meshes/" + mesh + "/mtls", "{\"mode\":\"STRICT\"}"), 200);
        JsonNode ca = json(send("GET", "/v1/meshes/" + mesh + "/ca", null), 200);
        assertThat(ca.get("authorities")).hasSize(1);
        assertThat(ca.get("authorities").get(0).get("state").asString()).isEqualTo("ACTIVE");
        assertThat(ca.get("identitySecretName").asString()).isEqualTo("meshplane:identity");
        List<X509Certificate> bundle = Pem.certificates(ca.get("trustBundlePem").asString());
        assertThat(bundle).hasSize(1);
        assertThat(bundle.get(0).getBasicConstraints()).as("a CA certificate").isGreaterThanOrEqualTo(0);
        try (Connection connection = dataSource.getConnection();
                ResultSet row = connection.createStatement().executeQuery(
                        "select private_key_encrypted from mesh_ca where mesh_name = '" + mesh + "'")) {
            assertThat(row.next()).isTrue();
            assertThat(new String(row.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .as("the CA's key is stored encrypted").doesNotContain("PRIVATE KEY");
        }

        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(node)).setTypeUrl(AdsStream.LDS).build());
            DiscoveryResponse listeners = ads.next(5000);
            assertThat(listeners).isNotNull();
            Listener ingress = listeners.getResourcesList().stream().map(a -> unpack(a, Listener.class))
                    .filter(l -> l.getName().startsWith("lds_ingress")).findFirst().orElseThrow();
            DownstreamTlsContext tls = ingress.getFilterChains(0).getTransportSocket().getTypedConfig()
                    .unpack(DownstreamTlsContext.class);
            assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
            assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("meshplane:identity");
            ads.send(AdsStream.ack(listeners));

            Map<String, Secret> secrets = sds(ads, null);
            X509Certificate certificate = identity(secrets);
            assertThat(uriSans(certificate)).containsExactly("spiffe://" + mesh + "/virtualNode/api");
            assertThat(certificate.getNotAfter().toInstant()).isBefore(Instant.now().plusSeconds(24 * 3600 + 60));
            assertChains(certificate, bundle);
            assertKeyMatches(certificate, secrets);
            assertThat(Pem.certificates(secrets.get("meshplane:trust").getValidationContext().getTrustedCa()
                    .getInlineBytes().toStringUtf8())).containsExactlyElementsOf(bundle);
        }
    }

    @Test
    void rotationOverlapsThenEndsAndAnImportedCaSignsAfterwards() throws Exception {
        String node = meshWithNode();
        json(send("PUT", "/v1/meshes/" + mesh + "/mtls", "{\"mode\":\"PERMISSIVE\"}"), 200);
        List<X509Certificate> first = Pem.certificates(json(send("GET", "/v1/meshes/" + mesh + "/ca", null), 200)
                .get("trustBundlePem").asString());
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(node)).setTypeUrl(AdsStream.SDS)
                    .addResourceNames("meshplane:identity").addResourceNames("meshplane:trust").build());
            DiscoveryResponse initial = ads.next(5000);
            assertThat(initial).isNotNull();
            assertChains(identity(secretsOf(initial)), first);
            ads.send(AdsStream.ack(initial, "meshplane:identity", "meshplane:trust"));

            JsonNode rotated = json(send("POST", "/v1/meshes/" + mesh + "/ca/rotate", null), 200);
            assertThat(rotated.get("authorities").get(0).get("state").asString()).isEqualTo("ACTIVE");
            assertThat(rotated.get("authorities").get(1).get("state").asString()).isEqualTo("PREVIOUS");
            List<X509Certificate> overlap = Pem.certificates(rotated.get("trustBundlePem").asString());
            assertThat(overlap).hasSize(2).contains(first.get(0));
            Map<String, Secret> afterRotation = nextSecrets(ads);
            X509Certificate renewed = identity(afterRotation);
            assertChains(renewed, List.of(overlap.get(0)));
            assertThat(Pem.certificates(afterRotation.get("meshplane:trust").getValidationContext().getTrustedCa()
                    .getInlineBytes().toStringUtf8())).hasSize(2);

            assertThat(json(send("DELETE", "/v1/meshes/" + mesh + "/ca/previous", null), 200).get("retired").asInt()).isEqualTo(1);
            Map<String, Secret> afterOverlap = nextSecrets(ads);
            assertThat(Pem.certificates(afterOverlap.get("meshplane:trust").getValidationContext().getTrustedCa()
                    .getInlineBytes().toStringUtf8())).containsExactly(overlap.get(0));
            assertThat(send("DELETE", "/v1/meshes/" + mesh + "/ca/previous", null).statusCode()).isEqualTo(404);

            // a CA of the user's own
            KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
            X509Certificate own = selfSignedCa(keys, true);
            String body = JSON.writeValueAsString(Map.of("certificatePem", Pem.write(own), "privateKeyPem", Pem.write(keys.getPrivate())));
            JsonNode imported = json(send("PUT", "/v1/meshes/" + mesh + "/ca", body), 200);
            assertThat(imported.get("authorities").get(0).get("imported").asBoolean()).isTrue();
            X509Certificate fromOwn = identity(nextSecrets(ads));
            assertChains(fromOwn, List.of(own));
        }
    }

    /**
     * App Mesh's names may hold any character (found widening AcceptedSpecs' names): the mesh's CA and the node's
     * certificate are still issued (the subject was parsed as X.500 syntax, which refused ',', '+', '"' and a backslash), and
     * the URI SAN is the ASCII SPIFFE id the RBAC and SAN matchers are sent (a raw 'ü' was written as the byte 0xFC).
     */
    @Test
    void namesOfAnyCharactersGetTheirCertificateWithTheSpiffeIdTheMatchersAreSent() throws Exception {
        mesh = uniqueName("ca") + ",ü";
        String name = "api \"1\"+ü,x";
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName(name).spec(dev.meshplane.controlplane.Fixtures.node("api.local")));
        json(send("PUT", "/v1/meshes/" + com.google.common.net.UrlEscapers.urlPathSegmentEscaper().escape(mesh) + "/mtls",
                "{\"mode\":\"STRICT\"}"), 200);
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/" + name))
                    .setTypeUrl(AdsStream.LDS).build());
            DiscoveryResponse listeners = ads.next(5000);
            assertThat(listeners).isNotNull();
            ads.send(AdsStream.ack(listeners));
            X509Certificate certificate = identity(sds(ads, null));
            String spiffeId = dev.meshplane.snapshot.BuiltInSecrets.spiffeId(mesh, "virtualNode", name);
            assertThat(spiffeId).matches("\\p{ASCII}+");
            assertThat(uriSans(certificate)).containsExactly(spiffeId);
            assertThat(certificate.getSubjectX500Principal().getName()).contains("ü");
        }
    }

    @Test
    void aProxyWhoseConfigurationNamesNoBuiltInSecretIsIssuedNone() throws Exception {
        String node = meshWithNode();
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(node)).setTypeUrl(AdsStream.SDS)
                    .addResourceNames("meshplane:identity").build());
            DiscoveryResponse none = ads.next(1500);
            if (none != null) {
                assertThat(none.getResourcesCount()).as("mTLS off and no spec naming meshplane:identity: no secret").isZero();
                ads.send(AdsStream.ack(none, "meshplane:identity"));
            }
            // naming the secret in the node's own listener TLS is enough
            appMesh.updateVirtualNode(r -> r.meshName(mesh).virtualNodeName("api").spec(VirtualNodeSpec.builder()
                    .listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP))
                            .tls(t -> t.mode("STRICT").certificate(c -> c.sds(sds -> sds.secretName("meshplane:identity")))))
                    .serviceDiscovery(d -> d.dns(n -> n.hostname("api.local"))).build()));
            DiscoveryResponse response = ads.next(5000);
            assertThat(response).isNotNull();
            Secret identity = unpack(response.getResources(0), Secret.class);
            assertThat(identity.getName()).isEqualTo("meshplane:identity");
            assertThat(uriSans(identity(Map.of("meshplane:identity", identity))))
                    .containsExactly("spiffe://" + mesh + "/virtualNode/api");
        }
    }

    @Test
    void badCertificateAuthoritiesAreRefusedNamingTheMember() throws Exception {
        meshWithNode();
        KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("EC").generateKeyPair();
        Map<String, String> cases = new HashMap<>();
        cases.put(JSON.writeValueAsString(Map.of("certificatePem", "hello", "privateKeyPem", Pem.write(keys.getPrivate()))),
                "certificatePem: ");
        cases.put(JSON.writeValueAsString(Map.of("certificatePem", Pem.write(selfSignedCa(keys, false)),
                "privateKeyPem", Pem.write(keys.getPrivate()))), "certificatePem: not a CA certificate");
        cases.put(JSON.writeValueAsString(Map.of("certificatePem", Pem.write(selfSignedCa(keys, true)),
                "privateKeyPem", Pem.write(other.getPrivate()))), "privateKeyPem: is not the key");
        cases.put(JSON.writeValueAsString(Map.of("certificatePem", Pem.write(selfSignedCa(keys, true)))), "privateKeyPem");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> response = send("PUT", "/v1/meshes/" + mesh + "/ca", c.getKey());
            assertThat(response.statusCode()).as(c.getValue()).isEqualTo(400);
            assertThat(response.body()).contains(c.getValue());
        }
        assertThat(json(send("GET", "/v1/meshes/" + mesh + "/ca", null), 200).get("authorities")).as("nothing stored").hasSize(1);
    }

    private Map<String, Secret> sds(AdsStream ads, String nonce) throws Exception {
        ads.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.SDS)
                .addResourceNames("meshplane:identity").addResourceNames("meshplane:trust").build());
        DiscoveryResponse response = ads.next(5000);
        assertThat(response).isNotNull();
        assertThat(response.getTypeUrl()).isEqualTo(AdsStream.SDS);
        return secretsOf(response);
    }

    /** The next SDS push (skipping other types), ACKed. */
    private static Map<String, Secret> nextSecrets(AdsStream ads) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            DiscoveryResponse response = ads.next(1000);
            if (response != null && response.getTypeUrl().equals(AdsStream.SDS)) {
                ads.send(AdsStream.ack(response, "meshplane:identity", "meshplane:trust"));
                return secretsOf(response);
            }
        }
        throw new AssertionError("no SDS push within 10 s");
    }

    private static Map<String, Secret> secretsOf(DiscoveryResponse response) {
        Map<String, Secret> secrets = new HashMap<>();
        response.getResourcesList().forEach(any -> {
            Secret secret = unpack(any, Secret.class);
            secrets.put(secret.getName(), secret);
        });
        assertThat(secrets).containsKeys("meshplane:identity", "meshplane:trust");
        return secrets;
    }

    private static X509Certificate identity(Map<String, Secret> secrets) {
        return Pem.certificates(secrets.get("meshplane:identity").getTlsCertificate().getCertificateChain()
                .getInlineBytes().toStringUtf8()).get(0);
    }

    private static void assertKeyMatches(X509Certificate certificate, Map<String, Secret> secrets) throws Exception {
        PrivateKey key = Pem.privateKey(secrets.get("meshplane:identity").getTlsCertificate().getPrivateKey()
                .getInlineBytes().toStringUtf8());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).as("the private key is the certificate's").isTrue();
    }

    private static void assertChains(X509Certificate certificate, List<X509Certificate> anchors) throws Exception {
        Set<TrustAnchor> trust = new HashSet<>();
        anchors.forEach(a -> trust.add(new TrustAnchor(a, null)));
        PKIXParameters parameters = new PKIXParameters(trust);
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
    }

    private static List<String> uriSans(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream().filter(san -> (Integer) san.get(0) == 6)
                .map(san -> (String) san.get(1)).toList();
    }

    private static X509Certificate selfSignedCa(KeyPair keys, boolean ca) throws Exception {
        X500Name name = new X500Name("CN=Users own CA " + ca);
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(86_400 * 30)), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, ca ? new BasicConstraints(0) : new BasicConstraints(false));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    private static <T extends com.google.protobuf.Message> T unpack(com.google.protobuf.Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
