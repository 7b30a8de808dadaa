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

    /**
     * gRPC C-core 1.51's request sequence, as its xds_client trace shows it (GRPC_TRACE=xds_client): one request per
     * type with the names it needs, each sent when the previous type's answer came, every answer ACKed with its
     * version and nonce and the same names. Each first answer, and the clusters changed by a target node's outlier
     * detection, come at once: nothing waits for a periodic recheck or resync. What an idle C-core client does with
     * them is its own affair (docs/xds.md, "Supported clients").
     */
    @Test
    void gRpcCoreIsAnsweredAtOnceAndSentAChangedClusterWithoutWaiting() throws Exception {
        mesh = uniqueName("ads-c-core");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("target").spec(grpcTarget(5)));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("target.local")
                .spec(s -> s.provider(p -> p.virtualNode(n -> n.virtualNodeName("target")))));
        setBackends("target");
        String service = "target.local";
        io.envoyproxy.envoy.config.core.v3.Node cCore = io.envoyproxy.envoy.config.core.v3.Node.newBuilder()
                .setId("mesh/" + mesh + "/virtualNode/caller").setUserAgentName("gRPC C-core linux Python")
                .setUserAgentVersion("C-core 29.0.0 Python 1.51.1").addClientFeatures("envoy.lb.does_not_support_overprovisioning")
                .addClientFeatures("xds.config.resource-in-sotw").build();
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(cCore).setTypeUrl(AdsStream.LDS).addResourceNames(service).build());
            DiscoveryResponse listeners = answer(ads, AdsStream.LDS);
            String routeName = listeners.getResources(0).unpack(io.envoyproxy.envoy.config.listener.v3.Listener.class)
                    .getApiListener().getApiListener()
                    .unpack(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.class)
                    .getRds().getRouteConfigName();
            ads.send(AdsStream.ack(listeners, service));
            ads.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.RDS).addResourceNames(routeName).build());
            DiscoveryResponse routes = answer(ads, AdsStream.RDS);
            ads.send(AdsStream.ack(routes, routeName));
            String clusterName = cluster("target").replace("_http_", "_grpc_");
            ads.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.CDS).addResourceNames(clusterName).build());
            DiscoveryResponse clusters = answer(ads, AdsStream.CDS);
            assertThat(clusters.getResources(0).unpack(Cluster.class).getOutlierDetection().getConsecutive5Xx().getValue()).isEqualTo(5);
            ads.send(AdsStream.ack(clusters, clusterName));
            ads.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.EDS).addResourceNames(clusterName).build());
            ads.send(AdsStream.ack(answer(ads, AdsStream.EDS), clusterName));
            assertThat(ads.next(300)).as("every answer ACKed: nothing more to send").isNull();

            appMesh.updateVirtualNode(r -> r.meshName(mesh).virtualNodeName("target").spec(grpcTarget(7)));
            long changed = System.nanoTime();
            DiscoveryResponse change = ads.next(3000);
            assertThat(change).as("the changed cluster within 3 s of the API's answer").isNotNull();
            org.slf4j.LoggerFactory.getLogger(XdsProtocolTest.class).info("CONVERGENCE c-core sequence, outlier detection pushed: {} ms",
                    (System.nanoTime() - changed) / 1_000_000);
            assertThat(change.getTypeUrl()).isEqualTo(AdsStream.CDS);
            assertThat(change.getResources(0).unpack(Cluster.class).getOutlierDetection().getConsecutive5Xx().getValue()).isEqualTo(7);
            ads.send(AdsStream.ack(change, clusterName));
            assertThat(ads.next(300)).as("the ACK is not answered again").isNull();
        }
    }

    /** A response of this type to the request just sent, within 3 s (it is answered at once). */
    private static DiscoveryResponse answer(AdsStream ads, String typeUrl) throws InterruptedException {
        DiscoveryResponse response = ads.next(3000);
        assertThat(response).as("the answer to the " + typeUrl + " request").isNotNull();
        assertThat(response.getTypeUrl()).isEqualTo(typeUrl);
        assertThat(response.getResourcesCount()).isEqualTo(1);
        return response;
    }

    /** A gRPC virtual node on port 8080 in the registry, its callers' clusters ejecting after that many server errors. */
    private static VirtualNodeSpec grpcTarget(long maxServerErrors) {
        return VirtualNodeSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.GRPC))
                        .outlierDetection(o -> o.maxServerErrors(maxServerErrors).maxEjectionPercent(50)
                                .interval(d -> d.unit(software.amazon.awssdk.services.appmesh.model.DurationUnit.S).value(10L))
                                .baseEjectionDuration(d -> d.unit(software.amazon.awssdk.services.appmesh.model.DurationUnit.S).value(30L))))
                .serviceDiscovery(d -> d.awsCloudMap(c -> c.namespaceName("ns").serviceName("target"))).build();
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

    /**
     * Issue 12, example 7, as a user meets it: backends orders-db.local and users-db.local, both TCP on 5432, would share
     * one filter chain (users-db's traffic reaching orders-db). The API accepts them, as App Mesh did; the node is sent
     * nothing, and /v1/proxies says which backends, which port and what to change. Moving one to a port of its own heals it.
     */
    @Test
    void twoTcpBackendsOnOnePortAreReportedNotMerged() throws Exception {
        mesh = uniqueName("tcp");
        appMesh.createMesh(r -> r.meshName(mesh));
        for (String db : new String[] {"orders-db", "users-db"}) {
            tcpService(db, 5432);
        }
        setBackends("orders-db", "users-db");
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/" + mesh + "/virtualNode/caller"))
                    .setTypeUrl(AdsStream.LDS).build());
            String error = awaitProxy(proxy -> proxy.path("translationError").asString("").contains("share port"));
            assertThat(error).contains("backends (TCP) [orders-db.local, users-db.local] of this node share port 5432",
                    "give each TCP service a port of its own");
            assertThat(ads.next(500)).as("no listener merging them is sent").isNull();

            appMesh.updateVirtualNode(r -> r.meshName(mesh).virtualNodeName("users-db").spec(tcpNode("users-db", 5433)));
            DiscoveryResponse listeners = ads.next(5000);
            assertThat(listeners).as("sent once each backend has a port of its own").isNotNull();
            assertThat(awaitProxy(proxy -> !proxy.hasNonNull("translationError"))).isEmpty();
        }
    }

    private void tcpService(String name, int port) {
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName(name).spec(tcpNode(name, port)));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName(name + ".local")
                .spec(s -> s.provider(p -> p.virtualNode(n -> n.virtualNodeName(name)))));
    }

    private static VirtualNodeSpec tcpNode(String name, int port) {
        return VirtualNodeSpec.builder().listeners(l -> l.portMapping(p -> p.port(port).protocol(PortProtocol.TCP)))
                .serviceDiscovery(d -> d.dns(n -> n.hostname(name + ".local"))).build();
    }

    /** Polls /v1/proxies until this mesh's caller entry satisfies {@code done}; returns its translationError, or "". */
    private String awaitProxy(java.util.function.Predicate<tools.jackson.databind.JsonNode> done) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        tools.jackson.databind.JsonNode caller = null;
        while (System.currentTimeMillis() < deadline) {
            caller = null;
            for (tools.jackson.databind.JsonNode proxy : tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(send("GET", "/v1/proxies", null).body()).get("proxies")) {
                if (proxy.path("nodeId").asString().equals("mesh/" + mesh + "/virtualNode/caller")) {
                    caller = proxy;
                }
            }
            if (caller != null && done.test(caller)) {
                return caller.hasNonNull("translationError") ? caller.get("translationError").asString() : "";
            }
            Thread.sleep(20);
        }
        throw new AssertionError("/v1/proxies did not get there in 10 s: " + caller);
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

    /**
     * A route gRPC clients skip (query parameters) no longer withholds a proxyless client's whole configuration: its
     * route configuration is sent without that route, and /v1/proxies names the route in translationNotes.
     */
    @Test
    void aRouteGrpcClientsSkipIsLeftOutAndShown() throws Exception {
        String node = meshWithCaller("a");
        appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("rt")
                .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))));
        appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("beta").spec(s -> s.priority(0)
                .httpRoute(h -> h.match(m -> m.prefix("/").queryParameters(q -> q.name("beta")))
                        .action(a -> a.weightedTargets(t -> t.virtualNode("a").weight(1))))));
        appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("all").spec(timeoutRoute(5)));
        appMesh.updateVirtualService(r -> r.meshName(mesh).virtualServiceName("a.local")
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("rt")))));
        io.envoyproxy.envoy.config.core.v3.Node grpcJava = io.envoyproxy.envoy.config.core.v3.Node.newBuilder()
                .setId(node).setUserAgentName("gRPC Java").setUserAgentVersion("1.85.1").build();
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(grpcJava).setTypeUrl(AdsStream.RDS)
                    .addResourceNames("a.local:8080").build());
            DiscoveryResponse routes = answer(ads, AdsStream.RDS);
            assertThat(routes.getResources(0).unpack(io.envoyproxy.envoy.config.route.v3.RouteConfiguration.class)
                    .getVirtualHosts(0).getRoutesList()).extracting(io.envoyproxy.envoy.config.route.v3.Route::getName)
                    .containsExactly("all");
            assertThat(send("GET", "/v1/proxies", null).body()).contains("\"translationNotes\":[\"route configuration"
                    + " a.local:8080, virtual host a.local, route beta: matches query parameters, which gRPC clients skip;"
                    + " left out for them, so their calls go to the next route that matches (gRPC calls carry no query"
                    + " string: match them on a header, gRPC metadata, instead)\"");
        }
    }

    /**
     * A route that a route before it always wins over (issue 12: a catch-all of priority 0 before a /chapter route of
     * priority 5) is still sent, as App Mesh accepted it, and /v1/proxies names both in translationNotes for the
     * connected Envoy.
     */
    @Test
    void aShadowedRouteIsShownForTheConnectedProxy() throws Exception {
        String node = meshWithCaller("a");
        appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("rt")
                .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))));
        appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("catch-all").spec(s -> s.priority(0)
                .httpRoute(h -> h.match(m -> m.prefix("/")).action(a -> a.weightedTargets(t -> t.virtualNode("a").weight(1))))));
        appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("chapter").spec(s -> s.priority(5)
                .httpRoute(h -> h.match(m -> m.prefix("/chapter")).action(a -> a.weightedTargets(t -> t.virtualNode("a").weight(1))))));
        appMesh.updateVirtualService(r -> r.meshName(mesh).virtualServiceName("a.local")
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("rt")))));
        String note = "route configuration rds_egress_http_8080, virtual host a.local: route 'chapter' is shadowed by"
                + " route 'catch-all', which comes before it and matches every request it matches, so it is never taken;"
                + " to have it taken, give it a lower priority number than 'catch-all' or narrow that route's match";
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(node)).setTypeUrl(AdsStream.RDS)
                    .addResourceNames("rds_egress_http_8080").build());
            DiscoveryResponse routes = answer(ads, AdsStream.RDS);
            assertThat(routes.getResources(0).unpack(io.envoyproxy.envoy.config.route.v3.RouteConfiguration.class)
                    .getVirtualHosts(0).getRoutesList()).extracting(io.envoyproxy.envoy.config.route.v3.Route::getName)
                    .as("sent as App Mesh would, in the order Envoy tries them").containsExactly("catch-all", "chapter");
            // the note is recorded when the configuration is, before it is sent: it is there once the answer came
            tools.jackson.databind.JsonNode caller = null;
            for (tools.jackson.databind.JsonNode proxy : tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(send("GET", "/v1/proxies", null).body()).path("proxies")) {
                if (proxy.path("nodeId").asString().equals(node)) {
                    caller = proxy;
                }
            }
            assertThat(caller).as("the connected caller in /v1/proxies").isNotNull();
            assertThat(caller.path("translationNotes").toString()).isEqualTo("[\"" + note + "\"]");
        }
    }

    /**
     * A virtual gateway listener's connectionPool and healthCheck, which gateways do not apply (issue 12, item 7: no
     * setting dropped silently), are named in /v1/proxies translationNotes of the connected gateway.
     */
    @Test
    void aGatewayListenerPoolAndHealthCheckAreShownAsNotApplied() throws Exception {
        meshWithCaller("a");
        appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("edge").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(8088).protocol("http"))
                .connectionPool(c -> c.http(h -> h.maxConnections(5)))
                .healthCheck(h -> h.protocol("http").path("/ping").port(8088).healthyThreshold(2).unhealthyThreshold(2)
                        .intervalMillis(5000L).timeoutMillis(2000L)))));
        String node = "mesh/" + mesh + "/virtualGateway/edge";
        try (AdsStream ads = new AdsStream(xds.port())) {
            ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node(node)).setTypeUrl(AdsStream.LDS).build());
            answer(ads, AdsStream.LDS);
            tools.jackson.databind.JsonNode gateway = null;
            for (tools.jackson.databind.JsonNode proxy : tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(send("GET", "/v1/proxies", null).body()).path("proxies")) {
                if (proxy.path("nodeId").asString().equals(node)) {
                    gateway = proxy;
                }
            }
            assertThat(gateway).as("the connected gateway in /v1/proxies").isNotNull();
            assertThat(gateway.path("translationNotes").toString()).contains(
                    "virtual gateway 'edge', listener on port 8088: connectionPool is not applied",
                    "virtual gateway 'edge', listener on port 8088: healthCheck is not applied");
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
