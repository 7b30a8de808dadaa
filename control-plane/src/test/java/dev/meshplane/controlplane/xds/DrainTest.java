package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.MeshplaneApplication;
import dev.meshplane.controlplane.ServerTest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.appmesh.AppMeshClient;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;

/**
 * A server that is stopping: readiness goes false at once, its xDS streams are closed one by one
 * over the drain window, and until its stream is closed a proxy still receives changes (the change
 * listener stops only after the xDS server has drained). ReplicasIT shows the same from outside,
 * with a packaged server and a client that moves to another replica.
 */
class DrainTest {

    private static final String MESH = "drain";
    private static final String NODE = "mesh/" + MESH + "/virtualNode/caller";

    @TempDir
    Path dataDir;

    private static VirtualNodeSpec api(int port) {
        return VirtualNodeSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(port).protocol(PortProtocol.HTTP)))
                .serviceDiscovery(d -> d.dns(dns -> dns.hostname("api.local"))).build();
    }

    private static DiscoveryRequest cds() {
        return DiscoveryRequest.newBuilder().setNode(AdsStream.node(NODE)).setTypeUrl(AdsStream.CDS).build();
    }

    @Test
    void aStoppingServerRefusesTrafficAndClosesStreamsOneByOneStillServingChangesUntilThen() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(MeshplaneApplication.class)
                .run("--server.port=0", "--meshplane.xds.port=0", "--meshplane.database.embedded.data-dir=" + dataDir,
                        "--meshplane.xds.drain-window=8s");
        Thread stopping = new Thread(context::close, "stopping the server");
        int http = ((WebServerApplicationContext) context).getWebServer().getPort();
        try (AppMeshClient client = ServerTest.appMeshClient(http, "AKID", "secret");
                AdsStream first = new AdsStream(context.getBean(XdsServer.class).port());
                AdsStream second = new AdsStream(context.getBean(XdsServer.class).port())) {
            client.createMesh(r -> r.meshName(MESH));
            client.createVirtualNode(r -> r.meshName(MESH).virtualNodeName("api").spec(api(8080)));
            client.createVirtualService(r -> r.meshName(MESH).virtualServiceName("api.local")
                    .spec(s -> s.provider(p -> p.virtualNode(n -> n.virtualNodeName("api")))));
            client.createVirtualNode(r -> r.meshName(MESH).virtualNodeName("caller").spec(VirtualNodeSpec.builder()
                    .backends(b -> b.virtualService(v -> v.virtualServiceName("api.local"))).build()));
            String version = null;
            for (AdsStream stream : List.of(first, second)) {
                stream.send(cds());
                DiscoveryResponse response = stream.next(10_000);
                assertThat(response).as("configured before the stop").isNotNull();
                stream.send(AdsStream.ack(response)); // as Envoy does: the ACK is what asks for the next change
                version = response.getVersionInfo();
            }

            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
            stopping.start();
            assertThat(XdsClients.await(Duration.ofSeconds(10),
                    () -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC))
                    .as("readiness false as the stop begins").isTrue();
            assertThat(XdsClients.await(Duration.ofSeconds(10), () -> first.ended != null || second.ended != null))
                    .as("the first stream closed at once").isTrue();
            AdsStream closed = first.ended != null ? first : second;
            AdsStream open = closed == first ? second : first;
            assertThat(closed.ended.getCode()).as("so that its proxy reconnects elsewhere").isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(open.ended).as("the other closes later in the window (at 4 s of 8)").isNull();

            // a change made a second into the drain (through another replica, or this one's API, still up)
            // reaches the open stream: the change listener is still running (one stopped would have let go
            // of its connection within 250 ms, and a notification sent later is never read)
            Thread.sleep(1000);
            client.updateVirtualNode(r -> r.meshName(MESH).virtualNodeName("api").spec(api(9090)));
            DiscoveryResponse changed = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (changed == null && System.nanoTime() < deadline) {
                DiscoveryResponse response = open.next(100);
                if (response != null && !response.getVersionInfo().equals(version)) {
                    changed = response;
                }
            }
            assertThat(changed).as("a change while draining, before the stream's turn to close").isNotNull();
            assertThat(changed.getResources(0).unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class).getName())
                    .contains("9090");

            stopping.join(Duration.ofSeconds(30).toMillis());
            assertThat(stopping.isAlive()).as("stopped after the window").isFalse();
            assertThat(open.ended).isNotNull();
            assertThat(open.ended.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            if (!stopping.isAlive()) {
                context.close();
            }
        }
    }
}
