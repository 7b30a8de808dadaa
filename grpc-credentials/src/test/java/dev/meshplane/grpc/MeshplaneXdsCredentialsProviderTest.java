package dev.meshplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.grpc.xds.XdsCredentialsProvider;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code meshplane} credentials against a real TLS gRPC server: the CA file is the only trust,
 * the token file's token travels as a bearer header and is read again for each call, a missing token
 * fails the call naming the file, and a bad configuration is refused naming the member.
 */
class MeshplaneXdsCredentialsProviderTest {

    @TempDir
    Path dir;

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private Server server;
    private KeyPair caKey;
    private X509Certificate ca;

    @BeforeEach
    void startTlsServer() throws Exception {
        caKey = keyPair();
        ca = certificate("CN=test xds CA", caKey, caKey, "CN=test xds CA", true);
        KeyPair serverKey = keyPair();
        X509Certificate cert = certificate("CN=localhost", serverKey, caKey, "CN=test xds CA", false);
        Files.writeString(dir.resolve("ca.pem"), pem(ca));
        Files.writeString(dir.resolve("server.pem"), pem(cert));
        // PKCS#8, as Netty reads keys
        Files.writeString(dir.resolve("server-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(serverKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                seen.add(String.valueOf(headers.get(ProxyTokenCredentials.AUTHORIZATION)));
                return next.startCall(call, headers);
            }
        };
        server = Grpc.newServerBuilderForPort(0, TlsServerCredentials.create(dir.resolve("server.pem").toFile(),
                        dir.resolve("server-key.pem").toFile()))
                .addService(ServerInterceptors.intercept(new SimpleServiceGrpc.SimpleServiceImplBase() {
                    @Override
                    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> response) {
                        response.onNext(SimpleResponse.newBuilder().setResponseMessage("ok").build());
                        response.onCompleted();
                    }
                }, recorder)).build().start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void grpcJavaFindsTheTypeByItsName() {
        assertThat(ServiceLoader.load(XdsCredentialsProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof MeshplaneXdsCredentialsProvider)
                .map(p -> ((MeshplaneXdsCredentialsProvider) p).getName())).containsExactly("meshplane");
    }

    @Test
    void sendsTheTokenOverTlsTrustingTheCaFileAndRereadsTheFile() throws Exception {
        Path token = Files.writeString(dir.resolve("proxy-token"), "mpp_first\n");
        ManagedChannel channel = channel(Map.of("token_file", token.toString(), "ca_certificate_file",
                dir.resolve("ca.pem").toString()));
        try {
            assertThat(call(channel)).isEqualTo("ok");
            Files.writeString(token, "mpp_second");
            assertThat(call(channel)).isEqualTo("ok");
            assertThat(seen).containsExactly("Bearer mpp_first", "Bearer mpp_second");

            Files.delete(token);
            assertThatThrownBy(() -> call(channel)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).contains("proxy token", token.toString());
            });
            assertThat(seen).as("a call without its token never reaches the server").hasSize(2);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void trustsOnlyTheCaFile() throws Exception {
        KeyPair otherKey = keyPair();
        Files.writeString(dir.resolve("other-ca.pem"), pem(certificate("CN=other CA", otherKey, otherKey, "CN=other CA", true)));
        ManagedChannel channel = channel(Map.of("ca_certificate_file", dir.resolve("other-ca.pem").toString()));
        try {
            assertThatThrownBy(() -> call(channel)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThat(seen).isEmpty();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBadConfigurationNamesTheMember() {
        assertThatThrownBy(() -> MeshplaneXdsCredentialsProvider.create(Map.of("token", "/x")))
                .hasMessageContaining("unknown member 'token'");
        assertThatThrownBy(() -> MeshplaneXdsCredentialsProvider.create(Map.of("tls", "yes")))
                .hasMessageContaining("tls must be true or false");
        assertThatThrownBy(() -> MeshplaneXdsCredentialsProvider.create(Map.of("token_file", 3)))
                .hasMessageContaining("token_file must be a file path");
        assertThatThrownBy(() -> MeshplaneXdsCredentialsProvider.create(Map.of("ca_certificate_file",
                dir.resolve("missing.pem").toString()))).hasMessageContaining("ca_certificate_file", "missing.pem");
    }

    private ManagedChannel channel(Map<String, ?> config) {
        return Grpc.newChannelBuilder("localhost:" + server.getPort(), MeshplaneXdsCredentialsProvider.create(config)).build();
    }

    private static String call(ManagedChannel channel) {
        return SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair key, KeyPair issuerKey, String issuer, boolean isCa)
            throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name(subject), key.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (!isCa) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }

    private static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
