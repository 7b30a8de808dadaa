package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.MeshplaneApplication;
import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.controlplane.security.Pem;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.appmesh.AppMeshClient;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;

/** With a certificate configured, the xDS port speaks TLS only, and bootstraps tell proxies to use it. */
class XdsTlsTest {

    @TempDir
    Path work;

    @Test
    void theXdsPortServesOverTlsAndBootstrapsSaySo() throws Exception {
        KeyPair caKeys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X500Name caName = new X500Name("CN=xDS test CA");
        X509Certificate ca = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(caName,
                BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)), caName,
                caKeys.getPublic()).addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        KeyPair serverKeys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate server = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(caName,
                BigInteger.TWO, Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)),
                new X500Name("CN=localhost"), serverKeys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        Path chain = Files.writeString(work.resolve("xds.pem"), Pem.write(server));
        Path key = Files.writeString(work.resolve("xds-key.pem"), Pem.write(serverKeys.getPrivate()));
        Path caFile = Files.writeString(work.resolve("ca.pem"), Pem.write(ca));

        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MeshplaneApplication.class).run(
                "--server.port=0", "--meshplane.xds.port=0", "--meshplane.database.embedded.data-dir=" + work.resolve("db"),
                "--meshplane.xds.tls.certificate-chain-file=" + chain, "--meshplane.xds.tls.private-key-file=" + key,
                "--meshplane.xds.tls.proxy-ca-file=/etc/certs/xds-ca.pem")) {
            int http = ((WebServerApplicationContext) context).getWebServer().getPort();
            int xds = context.getBean(XdsServer.class).port();
            try (AppMeshClient appMesh = ServerTest.appMeshClient(http, "AKID", "secret")) {
                appMesh.createMesh(r -> r.meshName("tls"));
                appMesh.createVirtualNode(r -> r.meshName("tls").virtualNodeName("app").spec(VirtualNodeSpec.builder().build()));
            }
            DiscoveryRequest cds = DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/tls/virtualNode/app"))
                    .setTypeUrl(AdsStream.CDS).build();
            try (AdsStream overTls = new AdsStream(NettyChannelBuilder.forAddress("localhost", xds)
                    .sslContext(GrpcSslContexts.forClient().trustManager(caFile.toFile()).build()).build())) {
                overTls.send(cds);
                DiscoveryResponse response = overTls.next(5000);
                assertThat(response).as("a TLS client trusting the CA is served").isNotNull();
            }
            try (AdsStream plaintext = new AdsStream(xds)) {
                plaintext.send(cds);
                assertThat(plaintext.next(1500)).as("plaintext gets nothing").isNull();
            }
            HttpClient client = HttpClient.newHttpClient();
            String envoy = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http
                    + "/v1/meshes/tls/virtualNodes/app/bootstrap")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(envoy).contains("envoy.transport_sockets.tls", "/etc/certs/xds-ca.pem");
            String grpc = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http
                    + "/v1/meshes/tls/virtualNodes/app/bootstrap?format=grpc")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(grpc).contains("\"type\":\"tls\"", "/etc/certs/xds-ca.pem").doesNotContain("insecure");
        }
    }

    @Test
    void theBuiltInCaCanCertifyTheXdsPortAndEnvoyBootstrapsCarryItInline() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MeshplaneApplication.class).run(
                "--server.port=0", "--meshplane.xds.port=0", "--meshplane.database.embedded.data-dir=" + work.resolve("db2"),
                "--meshplane.security.key-file=" + work.resolve("kek"), "--meshplane.xds.tls.built-in=true")) {
            int http = ((WebServerApplicationContext) context).getWebServer().getPort();
            int xds = context.getBean(XdsServer.class).port();
            try (AppMeshClient appMesh = ServerTest.appMeshClient(http, "AKID", "secret")) {
                appMesh.createMesh(r -> r.meshName("builtin"));
                appMesh.createVirtualNode(r -> r.meshName("builtin").virtualNodeName("app").spec(VirtualNodeSpec.builder().build()));
            }
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> ca = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http + "/v1/xds/ca")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ca.statusCode()).isEqualTo(200);
            Path caFile = Files.writeString(work.resolve("builtin-ca.pem"), ca.body());
            try (AdsStream overTls = new AdsStream(NettyChannelBuilder.forAddress("localhost", xds)
                    .sslContext(GrpcSslContexts.forClient().trustManager(caFile.toFile()).build()).build())) {
                overTls.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/builtin/virtualNode/app"))
                        .setTypeUrl(AdsStream.CDS).build());
                assertThat(overTls.next(5000)).as("a client trusting the built-in CA is served over TLS").isNotNull();
            }
            String envoy = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http
                    + "/v1/meshes/builtin/virtualNodes/app/bootstrap")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(envoy).contains("envoy.transport_sockets.tls", "inline_bytes");
        }
    }

    @Test
    void theRestPortCanBeCertifiedByTheBuiltInCaToo() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MeshplaneApplication.class).run(
                "--server.port=0", "--meshplane.xds.port=0", "--meshplane.database.embedded.data-dir=" + work.resolve("db3"),
                "--meshplane.security.key-file=" + work.resolve("kek3"), "--meshplane.rest.tls.built-in=true",
                "--server.ssl.bundle=meshplane-built-in")) {
            int https = ((WebServerApplicationContext) context).getWebServer().getPort();
            // fetch the CA once without checking (as one would with curl -k), then trust only it
            javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
            trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            String caPem = HttpClient.newBuilder().sslContext(trustAll).build().send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + https + "/v1/xds/ca")).build(), HttpResponse.BodyHandlers.ofString()).body();
            java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("meshplane", Pem.certificates(caPem).get(0));
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            javax.net.ssl.SSLContext strict = javax.net.ssl.SSLContext.getInstance("TLS");
            strict.init(null, factory.getTrustManagers(), null);
            HttpClient verified = HttpClient.newBuilder().sslContext(strict).build();
            boolean served = false;
            long deadline = System.currentTimeMillis() + 10_000;
            while (!served && System.currentTimeMillis() < deadline) {
                try {
                    served = verified.send(HttpRequest.newBuilder(URI.create("https://localhost:" + https + "/actuator/health"))
                            .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (java.io.IOException stillTheStartingCertificate) {
                    Thread.sleep(200);
                }
            }
            assertThat(served).as("the REST port presents a certificate from the built-in CA, for localhost").isTrue();
        }
    }
}
