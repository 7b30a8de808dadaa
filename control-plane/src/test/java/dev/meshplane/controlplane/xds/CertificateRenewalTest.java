package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.controlplane.security.Pem;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;

/** With a short certificate lifetime, a connected proxy is sent a new certificate at half of it, again and again. */
@TestPropertySource(properties = {"meshplane.security.certificate-lifetime=4s", "meshplane.xds.resync-interval=500ms"})
class CertificateRenewalTest extends ServerTest {

    @Autowired
    XdsServer xds;

    @Test
    void aProxyIsSentANewCertificateAtHalfItsLifetime() throws Exception {
        String mesh = uniqueName("renew");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("api").spec(VirtualNodeSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))
                .serviceDiscovery(d -> d.dns(n -> n.hostname("api.local"))).build()));
        assertThat(send("PUT", "/v1/meshes/" + mesh + "/mtls", "{\"mode\":\"STRICT\"}").statusCode()).isEqualTo(200);
        List<X509Certificate> received = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        List<Long> wallClock = new ArrayList<>();
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/api"))
                    .setTypeUrl(AdsStream.SDS).addResourceNames("meshplane:identity").build());
            long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            while (received.size() < 3 && System.nanoTime() < deadline) {
                DiscoveryResponse response = ads.next(1000);
                if (response == null) {
                    continue;
                }
                ads.send(AdsStream.ack(response, "meshplane:identity"));
                Secret secret = response.getResources(0).unpack(Secret.class);
                received.add(Pem.certificates(secret.getTlsCertificate().getCertificateChain().getInlineBytes().toStringUtf8()).get(0));
                arrivals.add(System.nanoTime());
                wallClock.add(System.currentTimeMillis());
            }
        }
        assertThat(received).as("the first certificate and two renewals").hasSize(3);
        assertThat(received).extracting(X509Certificate::getSerialNumber).doesNotHaveDuplicates();
        for (int i = 1; i < received.size(); i++) {
            X509Certificate previous = received.get(i - 1);
            assertThat(arrivals.get(i) - arrivals.get(i - 1)).as("renewed at about half of 4 s, not sooner")
                    .isGreaterThan(Duration.ofMillis(1500).toNanos());
            assertThat(wallClock.get(i)).as("and before the previous one expired")
                    .isLessThan(previous.getNotAfter().getTime());
        }
    }
}
