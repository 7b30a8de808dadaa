package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.controlplane.security.Pem;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsServerBuilder;
import io.grpc.xds.XdsServerCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.text.MessageFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Proxyless mTLS with grpc-java on both sides: an xDS-enabled gRPC server (XdsServerBuilder) and an
 * xDS client, each with its node's certificate from Meshplane's CA through gRPC's file_watcher
 * certificate provider. The server sees the client's SPIFFE id; the client checks the server's;
 * certificates are renewed under load without a failed call; a node that does not list the service
 * as a backend is refused by the server; a DENY policy on one method is enforced while the other
 * method passes; a dry-run DENY is logged by grpc-java's RBAC filter and the call passes.
 */
@TestPropertySource(properties = {"meshplane.security.certificate-lifetime=6s", "meshplane.xds.resync-interval=500ms"})
class GrpcJavaMtlsTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SERVICE = "users.mtls.local";
    /** grpc-java's RBAC filter logs each decision and its matching policy here, at FINE. */
    private static final Logger RBAC_LOG = Logger.getLogger("io.grpc.xds.RbacFilter");

    @TempDir
    Path work;

    private String mesh;
    private final Map<String, Set<String>> serials = new ConcurrentHashMap<>();
    private final Set<String> peers = ConcurrentHashMap.newKeySet();


    /** Writes the node's current certificate files, as a small agent beside a gRPC application would. */
    private Path writeCertificate(String node) throws Exception {
        Path dir = Files.createDirectories(work.resolve(node));
        JsonNode certificate = JSON.readTree(send("GET", "/v1/meshes/" + mesh + "/virtualNodes/" + node + "/certificate", null).body());
        String chain = certificate.get("certificateChainPem").asString();
        serials.computeIfAbsent(node, k -> ConcurrentHashMap.newKeySet())
                .add(Pem.certificates(chain).get(0).getSerialNumber().toString(16));
        Path cert = dir.resolve("cert.pem");
        if (!Files.exists(cert) || !Files.readString(cert).equals(chain)) {
            // key first, then certificate, each replaced atomically
            Files.writeString(dir.resolve("ca.pem.tmp"), certificate.get("trustBundlePem").asString());
            Files.move(dir.resolve("ca.pem.tmp"), dir.resolve("ca.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(dir.resolve("key.pem.tmp"), certificate.get("privateKeyPem").asString());
            Files.move(dir.resolve("key.pem.tmp"), dir.resolve("key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(dir.resolve("cert.pem.tmp"), chain);
            Files.move(dir.resolve("cert.pem.tmp"), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return dir;
    }

    @SuppressWarnings("unchecked")
    private Map<String, ?> bootstrap(String node, Path certDir) throws Exception {
        String body = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/" + node + "/bootstrap?format=grpc&certDir=" + certDir, null).body();
        return JSON.readValue(body, Map.class);
    }

    private static SimpleServiceGrpc.SimpleServiceImplBase service() {
        return new SimpleServiceGrpc.SimpleServiceImplBase() {
            @Override
            public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> response) {
                response.onNext(SimpleResponse.newBuilder().setResponseMessage("unary").build());
                response.onCompleted();
            }

            @Override
            public void serverStreamingRpc(SimpleRequest request, StreamObserver<SimpleResponse> response) {
                response.onNext(SimpleResponse.newBuilder().setResponseMessage("streamed").build());
                response.onCompleted();
            }
        };
    }

    /** Remembers the SPIFFE id of each caller's certificate. */
    private ServerInterceptor peerRecorder() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
                if (session != null) {
                    try {
                        X509Certificate peer = (X509Certificate) session.getPeerCertificates()[0];
                        peer.getSubjectAlternativeNames().forEach(san -> peers.add(String.valueOf(san.get(1))));
                    } catch (Exception e) {
                        peers.add("no peer certificate");
                    }
                }
                return next.startCall(call, headers);
            }
        };
    }

    @Test
    void mutualTlsRenewalBackendsOnlyAMethodDeniedAndADryRunLogged() throws Exception {
        mesh = uniqueName("mtls");
        int port = ReplicaProcess.freePort();
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("users").spec(VirtualNodeSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(port).protocol(PortProtocol.GRPC)))
                .serviceDiscovery(d -> d.awsCloudMap(c -> c.namespaceName("mtls.local").serviceName("users"))).build()));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName(SERVICE)
                .spec(s -> s.provider(p -> p.virtualNode(n -> n.virtualNodeName("users")))));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("frontend").spec(VirtualNodeSpec.builder()
                .backends(b -> b.virtualService(v -> v.virtualServiceName(SERVICE))).build()));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("stranger").spec(VirtualNodeSpec.builder().build()));
        assertThat(send("PUT", "/v1/registry/mtls.local/users/instances/u1", "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"127.0.0.1\","
                + "\"AWS_INSTANCE_PORT\":\"" + port + "\"}}").statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/v1/meshes/" + mesh + "/mtls", "{\"mode\":\"STRICT\"}").statusCode()).isEqualTo(200);

        Path serverCerts = writeCertificate("users");
        Path clientCerts = writeCertificate("frontend");
        Path strangerCerts = writeCertificate("stranger");
        Thread refresher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    writeCertificate("users");
                    writeCertificate("frontend");
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // try again at the next round
                }
            }
        });
        refresher.setDaemon(true);
        refresher.start();

        CountDownLatch serving = new CountDownLatch(1);
        Server server = XdsServerBuilder.forPort(port, XdsServerCredentials.create(InsecureServerCredentials.create()))
                .addService(ServerInterceptors.intercept(service(), peerRecorder()))
                .overrideBootstrapForTest(bootstrap("users", serverCerts))
                // connections opened under an older configuration are drained when it changes (A36)
                .drainGraceTime(1, TimeUnit.SECONDS)
                .xdsServingStatusListener(new XdsServerBuilder.XdsServingStatusListener() {
                    @Override
                    public void onServing() {
                        serving.countDown();
                    }

                    @Override
                    public void onNotServing(Throwable throwable) {
                    }
                })
                .build().start();
        ManagedChannel client = XdsClients.xdsChannel(JSON.writeValueAsString(bootstrap("frontend", clientCerts)), SERVICE,
                XdsChannelCredentials.create(InsecureChannelCredentials.create()));
        ManagedChannel stranger = null;
        try {
            assertThat(serving.await(20, TimeUnit.SECONDS)).as("the xDS server got its listener").isTrue();
            assertThat(XdsClients.await(Duration.ofSeconds(20), () -> "unary".equals(XdsClients.tryCall(client))))
                    .as("an mTLS call through xDS").isTrue();
            assertThat(peers).as("the server saw the client's SPIFFE id").contains("spiffe://" + mesh + "/virtualNode/frontend");

            // renewal under load: certificates live 6 s; 8 s of calls on fresh connections, none may fail
            AtomicInteger failures = new AtomicInteger();
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            int calls = 0;
            while (System.nanoTime() < end) {
                if (!"unary".equals(XdsClients.tryCall(client))) {
                    failures.incrementAndGet();
                }
                calls++;
                Thread.sleep(20);
            }
            assertThat(failures.get()).as("failed calls out of " + calls + " during renewal").isZero();
            assertThat(serials.get("users")).as("the server's certificate was renewed").hasSizeGreaterThanOrEqualTo(2);
            assertThat(serials.get("frontend")).as("the client's certificate was renewed").hasSizeGreaterThanOrEqualTo(2);

            // a node that does not list the service: a valid mesh certificate (fresh: they live 6 s here), but refused
            writeCertificate("stranger");
            stranger = Grpc.newChannelBuilderForAddress("127.0.0.1", port, TlsChannelCredentials.newBuilder()
                    .keyManager(strangerCerts.resolve("cert.pem").toFile(), strangerCerts.resolve("key.pem").toFile())
                    .trustManager(chainOnly(strangerCerts.resolve("ca.pem"))).build()).build();
            ManagedChannel refused = stranger;
            assertThatThrownBy(() -> SimpleServiceGrpc.newBlockingStub(refused).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .unaryRpc(SimpleRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).as(String.valueOf(e.getStatus()) + " " + e.getCause()).isEqualTo(Status.Code.PERMISSION_DENIED));

            // a DENY policy on one method
            assertThat(send("PUT", "/v1/meshes/" + mesh + "/authorizationPolicies/no-streaming", "{\"targets\":{\"virtualNodes\":"
                    + "[\"users\"]},\"action\":\"DENY\",\"rules\":[{\"to\":{\"paths\":[\"/grpc.testing.SimpleService/ServerStreamingRpc\"]}}]}")
                    .statusCode()).isEqualTo(200);
            assertThat(XdsClients.await(Duration.ofSeconds(10), () -> {
                try {
                    SimpleServiceGrpc.newBlockingStub(client).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .serverStreamingRpc(SimpleRequest.getDefaultInstance()).next();
                    return false;
                } catch (StatusRuntimeException e) {
                    return e.getStatus().getCode() == Status.Code.PERMISSION_DENIED;
                }
            })).as("the denied method; the server's xDS status: " + send("GET", "/v1/proxies", null).body()).isTrue();
            assertThat(XdsClients.call(client)).as("the other method still passes").isEqualTo("unary");

            // a dry-run DENY on the other method: grpc-java's RBAC filter logs the rule that would deny, the call passes
            assertThat(send("PUT", "/v1/meshes/" + mesh + "/authorizationPolicies/trial-no-unary", "{\"targets\":{\"virtualNodes\":"
                    + "[\"users\"]},\"action\":\"DENY\",\"dryRun\":true,\"rules\":[{\"to\":{\"paths\":"
                    + "[\"/grpc.testing.SimpleService/UnaryRpc\"]}}]}").statusCode()).isEqualTo(200);
            List<String> decisions = new CopyOnWriteArrayList<>();
            Handler recorder = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    decisions.add(MessageFormat.format(record.getMessage(), record.getParameters()));
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            recorder.setLevel(Level.FINE);
            Level before = RBAC_LOG.getLevel();
            RBAC_LOG.setLevel(Level.FINE);
            RBAC_LOG.addHandler(recorder);
            try {
                AtomicInteger dryRunFailures = new AtomicInteger();
                assertThat(XdsClients.await(Duration.ofSeconds(15), () -> {
                    if (!"unary".equals(XdsClients.tryCall(client))) {
                        dryRunFailures.incrementAndGet();
                    }
                    return decisions.stream().anyMatch(d -> d.contains("ALLOW") && d.contains("dry-run would deny: trial-no-unary/0"));
                })).as(() -> "grpc-java logged the dry-run rule; the last decisions: "
                        + decisions.subList(Math.max(0, decisions.size() - 6), decisions.size())).isTrue();
                assertThat(dryRunFailures.get()).as("calls a dry-run rule matched still pass").isZero();
                assertThat(XdsClients.call(client)).isEqualTo("unary");
            } finally {
                RBAC_LOG.removeHandler(recorder);
                RBAC_LOG.setLevel(before);
            }
        } finally {
            refresher.interrupt();
            client.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            if (stranger != null) {
                stranger.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Trusts certificates that chain to the mesh's CA without checking a host name: mesh certificates
     * carry only a SPIFFE URI, and this caller dials an address directly (grpc-util's trust manager).
     */
    private static X509TrustManager chainOnly(Path caFile) throws Exception {
        AdvancedTlsX509TrustManager trust = AdvancedTlsX509TrustManager.newBuilder()
                .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION).build();
        trust.updateTrustCredentials(caFile.toFile());
        return trust;
    }
}
