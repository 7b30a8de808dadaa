package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.Fixtures;
import dev.meshplane.controlplane.ServerTest;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 15's tracing reaches proxies over their ADS streams: a PUT sends the mesh's sidecars their connection managers'
 * tracer and the collector's cluster at once, and nothing to a sidecar of another mesh or to a gRPC client of the same
 * node (which gets no tracing); a DELETE takes the tracer away again.
 */
class TracingXdsTest extends ServerTest {

    private static final String ZIPKIN = "{\"provider\":\"zipkin\",\"samplingPercent\":10,"
            + "\"zipkin\":{\"collector\":\"10.0.9.9:9411\"}}";

    @Autowired
    XdsServer xds;

    private String meshWithCaller() {
        String mesh = uniqueName("tracexds");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("api").spec(Fixtures.node("api.local")));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("api.local")
                .spec(s -> s.provider(p -> p.virtualNode(n -> n.virtualNodeName("api")))));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("web").spec(Fixtures.node("web.local", "api.local")));
        return mesh;
    }

    /** Subscribes a sidecar to clusters and listeners and ACKs what it gets first. */
    private static Map<String, DiscoveryResponse> subscribe(AdsStream ads, String nodeId) throws Exception {
        ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(nodeId)).setTypeUrl(AdsStream.CDS).build());
        ads.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.LDS).build());
        return receive(ads, AdsStream.CDS, AdsStream.LDS);
    }

    /** The next response of each type, each ACKed. */
    private static Map<String, DiscoveryResponse> receive(AdsStream ads, String... types) throws Exception {
        Map<String, DiscoveryResponse> got = new HashMap<>();
        while (got.size() < types.length) {
            // generous: the first translation of a cold server on a busy 2-core machine took over 5 s
            DiscoveryResponse response = ads.next(20000);
            assertThat(response).as("responses of types " + List.of(types) + "; got " + got.keySet()).isNotNull();
            got.put(response.getTypeUrl(), response);
            ads.send(AdsStream.ack(response));
        }
        return got;
    }

    private static List<HttpConnectionManager> managers(DiscoveryResponse listeners) throws Exception {
        List<HttpConnectionManager> managers = new ArrayList<>();
        for (var any : listeners.getResourcesList()) {
            for (var chain : any.unpack(Listener.class).getFilterChainsList()) {
                managers.add(chain.getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class));
            }
        }
        return managers;
    }

    private static List<String> clusters(DiscoveryResponse clusters) throws Exception {
        List<String> names = new ArrayList<>();
        for (var any : clusters.getResourcesList()) {
            names.add(any.unpack(Cluster.class).getName());
        }
        return names;
    }

    @Test
    void aPutReachesTheMeshsSidecarsAndNoOtherProxy() throws Exception {
        String mesh = meshWithCaller();
        String other = meshWithCaller();
        try (AdsStream sidecar = new AdsStream(xds.port()); AdsStream elsewhere = new AdsStream(xds.port());
                AdsStream client = new AdsStream(xds.port())) {
            Map<String, DiscoveryResponse> first = subscribe(sidecar, "mesh/" + mesh + "/virtualNode/web");
            assertThat(managers(first.get(AdsStream.LDS))).hasSize(2).allMatch(m -> !m.hasTracing());
            subscribe(elsewhere, "mesh/" + other + "/virtualNode/web");
            client.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/web")
                    .toBuilder().setUserAgentName("gRPC Java")).setTypeUrl(AdsStream.LDS).addResourceNames("api.local").build());
            receive(client, AdsStream.LDS);

            json(send("PUT", "/v1/meshes/" + mesh + "/tracing", ZIPKIN), 200);
            Map<String, DiscoveryResponse> traced = receive(sidecar, AdsStream.CDS, AdsStream.LDS);
            assertThat(clusters(traced.get(AdsStream.CDS))).contains("meshplane_tracing_zipkin");
            List<HttpConnectionManager> managers = managers(traced.get(AdsStream.LDS));
            assertThat(managers).as("ingress and egress").hasSize(2);
            for (HttpConnectionManager manager : managers) {
                assertThat(manager.getTracing().getRandomSampling().getValue()).isEqualTo(10.0);
                assertThat(manager.getTracing().getProvider().getTypedConfig().unpack(ZipkinConfig.class)
                        .getCollectorCluster()).isEqualTo("meshplane_tracing_zipkin");
            }
            assertThat(elsewhere.next(1000)).as("a sidecar of another mesh gets nothing").isNull();
            assertThat(client.next(200)).as("a gRPC client gets no tracing, so nothing").isNull();

            json(send("DELETE", "/v1/meshes/" + mesh + "/tracing", null), 200);
            Map<String, DiscoveryResponse> untraced = receive(sidecar, AdsStream.CDS, AdsStream.LDS);
            assertThat(clusters(untraced.get(AdsStream.CDS))).doesNotContain("meshplane_tracing_zipkin");
            assertThat(managers(untraced.get(AdsStream.LDS))).hasSize(2).allMatch(m -> !m.hasTracing());
            assertThat(elsewhere.next(500)).isNull();
            assertThat(client.next(200)).isNull();
        }
    }
}
