package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.controlplane.ServerTest;
import dev.meshplane.persistence.ResourceStore;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;

/**
 * The ADS protocol as an Envoy sidecar speaks it, request by request, including the cases where
 * java-control-plane's SimpleCache misbehaves: names that do not exist, node ids that name nothing,
 * and delta xDS.
 */
class XdsProtocolTest extends ServerTest {

    @Autowired
    XdsServer xds;

    @Autowired
    ResourceStore store;

    private String mesh;

    private String meshWithCaller(String... services) {
        mesh = uniqueName("ads");
        appMesh.createMesh(r -> r.meshName(mesh));
        for (String service : services) {
            addService(service);
        }
        setBackends(services);
        return "mesh/" + mesh + "/virtualNode/caller";
    }

    /** A virtual node on port 8080 found in the registry, and a virtual service it provides. */
    private void addService(String service) {
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName(service).spec(VirtualNodeSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))
                .serviceDiscovery(d -> d.awsCloudMap(c -> c.namespaceName("ns").serviceName(service))).build()));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName(service + ".local")
                .spec(s -> s.provider(p -> p.virtualNode(n -> n.virtualNodeName(service)))));
    }

    private void setBackends(String... services) {
        VirtualNodeSpec spec = VirtualNodeSpec.builder().backends(java.util.Arrays.stream(services)
                .map(s -> software.amazon.awssdk.services.appmesh.model.Backend.builder()
                        .virtualService(v -> v.virtualServiceName(s + ".local")).build()).toList()).build();
        if (appMesh.listVirtualNodes(r -> r.meshName(mesh)).virtualNodes().stream().anyMatch(n -> n.virtualNodeName().equals("caller"))) {
            appMesh.updateVirtualNode(r -> r.meshName(mesh).virtualNodeName("caller").spec(spec));
        } else {
            appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("caller").spec(spec));
        }
    }

    private String cluster(String service) {
        return "cds_egress_" + mesh + "_" + service + "_http_8080";
    }

    @Test
    void endpointsThatExistAreSentEvenWhenAnotherRequestedNameDoesNot() throws Exception {
        String node = meshWithCaller("a", "b");
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(node)).setTypeUrl(AdsStream.CDS).build());
            DiscoveryResponse clusters = ads.next(5000);
            assertThat(clusters).isNotNull();
            assertThat(clusters.getResourcesList()).hasSize(2);
            ads.send(AdsStream.ack(clusters));
            // EDS for one cluster that exists and one that does not; the node is sent only once, as grpc-js does
            ads.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.EDS)
                    .addResourceNames(cluster("a")).addResourceNames("cds_egress_nowhere_http_1").build());
            DiscoveryResponse endpoints = ads.next(5000);
            assertThat(endpoints).as("SimpleCache would answer nothing here").isNotNull();
            assertThat(endpoints.getResourcesList()).hasSize(1);
            assertThat(endpoints.getResources(0).unpack(ClusterLoadAssignment.class).getClusterName()).isEqualTo(cluster("a"));
        }
    }

    @Test
    void aNodeIdThatNamesNothingIsRefused() throws Exception {
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node("just-some-envoy")).setTypeUrl(AdsStream.CDS).build());
            assertThat(ads.next(1000)).isNull();
        }
        assertThat(send("GET", "/v1/proxies", null).body()).doesNotContain("just-some-envoy");
    }

    @Test
    void deltaSendsOnlyWhatChangedAndWhatWasRemoved() throws Exception {
        String node = meshWithCaller("a", "b");
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.sendDelta(DeltaDiscoveryRequest.newBuilder().setNode(AdsStream.node(node)).setTypeUrl(AdsStream.CDS).build());
            DeltaDiscoveryResponse first = ads.nextDelta(5000);
            assertThat(first).isNotNull();
            assertThat(names(first.getResourcesList())).containsExactlyInAnyOrder(cluster("a"), cluster("b"));
            ads.sendDelta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(AdsStream.CDS).setResponseNonce(first.getNonce()).build());

            addService("c");
            setBackends("b", "c");

            DeltaDiscoveryResponse change = ads.nextDelta(5000);
            assertThat(change).isNotNull();
            assertThat(names(change.getResourcesList())).as("only the new cluster").containsExactly(cluster("c"));
            assertThat(change.getRemovedResourcesList()).containsExactly(cluster("a"));
        }
    }

    @Test
    void aConfigurationEnvoyWouldRejectIsNotPushedAndIsReported() throws Exception {
        String node = meshWithCaller("a");
        appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("rt")
                .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))));
        appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("all").spec(timeoutRoute(5)));
        appMesh.updateVirtualService(r -> r.meshName(mesh).virtualServiceName("a.local")
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("rt")))));
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(node)).setTypeUrl(AdsStream.CDS).build());
            DiscoveryResponse clusters = ads.next(5000);
            assertThat(clusters).isNotNull();
            ads.send(AdsStream.ack(clusters));

            // the API now refuses durations beyond protobuf's (about 10,000 years); a route stored before that rule
            // (an upgrade) is still in the database, and must not reach Envoy
            String stored = "{\"httpRoute\":{\"match\":{\"prefix\":\"/\"},\"action\":{\"weightedTargets\":"
                    + "[{\"virtualNode\":\"a\",\"weight\":1}]},\"timeout\":{\"perRequest\":{\"unit\":\"s\","
                    + "\"value\":400000000000}}}}";
            store.update(new ResourceId(ResourceKind.ROUTE, mesh, "rt", "all"), new ResourceStore.Write(stored,
                    AppMeshJson.mapper().readValue(stored, dev.meshplane.api.model.RouteSpec.class), null,
                    "stored-before-the-rule"), null);
            long deadline = System.currentTimeMillis() + 10_000;
            String proxies;
            do {
                Thread.sleep(20);
                proxies = send("GET", "/v1/proxies", null).body();
            } while (!proxies.contains("translationError\":\"Envoy would reject") && System.currentTimeMillis() < deadline);
            assertThat(proxies).contains("Envoy would reject this configuration",
                    "timeout: is not a valid duration");
            assertThat(ads.next(500)).as("nothing is pushed; the proxy keeps its last good configuration").isNull();

            appMesh.updateRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("all").spec(timeoutRoute(7)));
            do {
                Thread.sleep(20);
                proxies = send("GET", "/v1/proxies", null).body();
            } while (proxies.contains("Envoy would reject") && System.currentTimeMillis() < deadline);
            assertThat(proxies).doesNotContain("Envoy would reject");
        }
    }

    private static software.amazon.awssdk.services.appmesh.model.RouteSpec timeoutRoute(long seconds) {
        return software.amazon.awssdk.services.appmesh.model.RouteSpec.builder().httpRoute(h -> h
                .match(m -> m.prefix("/"))
                .action(a -> a.weightedTargets(t -> t.virtualNode("a").weight(1)))
                .timeout(t -> t.perRequest(d -> d.unit(software.amazon.awssdk.services.appmesh.model.DurationUnit.S)
                        .value(seconds)))).build();
    }

    private static List<String> names(List<Resource> resources) {
        return resources.stream().map(r -> {
            try {
                return r.getResource().unpack(Cluster.class).getName();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
