package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.MeshplaneApplication;
import dev.meshplane.controlplane.ServerTest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.appmesh.AppMeshClient;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;

/**
 * Versions are content hashes: after a control-plane restart with nothing changed, a proxy that
 * reconnects with the version it has is sent nothing, and a fresh one gets the same version.
 */
class XdsRestartTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MeshplaneApplication.class)
                .run("--server.port=0", "--meshplane.xds.port=0", "--meshplane.database.embedded.data-dir=" + dataDir);
    }

    private static DiscoveryRequest cds(String nodeId, String version) {
        return DiscoveryRequest.newBuilder().setNode(AdsStream.node(nodeId)).setTypeUrl(AdsStream.CDS)
                .setVersionInfo(version).build();
    }

    @Test
    void aRestartWithNothingChangedSendsNothingNew() throws Exception {
        String node = "mesh/restart/virtualNode/caller";
        String version;
        try (ConfigurableApplicationContext first = start()) {
            int http = ((WebServerApplicationContext) first).getWebServer().getPort();
            try (AppMeshClient client = ServerTest.appMeshClient(http, "AKID", "secret")) {
                client.createMesh(r -> r.meshName("restart"));
                client.createVirtualNode(r -> r.meshName("restart").virtualNodeName("api").spec(VirtualNodeSpec.builder()
                        .listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))
                        .serviceDiscovery(d -> d.dns(dns -> dns.hostname("api.local"))).build()));
                client.createVirtualService(r -> r.meshName("restart").virtualServiceName("api.local")
                        .spec(s -> s.provider(p -> p.virtualNode(n -> n.virtualNodeName("api")))));
                client.createVirtualNode(r -> r.meshName("restart").virtualNodeName("caller").spec(VirtualNodeSpec.builder()
                        .backends(b -> b.virtualService(v -> v.virtualServiceName("api.local"))).build()));
            }
            try (AdsStream ads = new AdsStream(first.getBean(XdsServer.class).port())) {
                ads.send(cds(node, ""));
                DiscoveryResponse response = ads.next(5000);
                assertThat(response).isNotNull();
                assertThat(response.getResourcesCount()).isEqualTo(1);
                version = response.getVersionInfo();
            }
        }

        try (ConfigurableApplicationContext second = start()) {
            int xdsPort = second.getBean(XdsServer.class).port();
            try (AdsStream reconnecting = new AdsStream(xdsPort)) {
                reconnecting.send(cds(node, version));
                assertThat(reconnecting.next(1500)).as("nothing new for a proxy that has this version").isNull();
            }
            try (AdsStream fresh = new AdsStream(xdsPort)) {
                fresh.send(cds(node, ""));
                DiscoveryResponse response = fresh.next(5000);
                assertThat(response).isNotNull();
                assertThat(response.getVersionInfo()).as("same content, same version").isEqualTo(version);
            }
        }
    }
}
