package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Issue 12, example 7: no backend, route or setting is merged or dropped silently. */
class NoSilentMergeTest {

    private static final ProxyId WEB = new ProxyId("m", ProxyId.Kind.SIDECAR, "web");

    /** Two TCP backends on one port would share one filter chain: users-db traffic would reach orders-db. */
    @Test
    void twoTcpBackendsOnOnePortAreReportedNotMerged() {
        assertThatThrownBy(() -> MeshTranslator.translate(view("tcp", "tcp"), WEB))
                .isInstanceOf(UnservableConfigurationException.class)
                .hasMessageStartingWith("backends (TCP) [orders-db.local, users-db.local] of this node share port 5432");
    }

    /** An HTTP and a TCP backend on one port: the TCP one used to be dropped. */
    @Test
    void anHttpAndATcpBackendOnOnePortAreReportedNotDropped() {
        assertThatThrownBy(() -> MeshTranslator.translate(view("http", "tcp"), WEB))
                .isInstanceOf(UnservableConfigurationException.class)
                .hasMessageStartingWith("backends (HTTP) [orders-db.local] and (TCP) [users-db.local] of this node share port 5432");
    }

    @Test
    void httpBackendsOnOnePortAreToldApartByHost() {
        ProxyResources resources = MeshTranslator.translate(view("http", "http"), WEB);
        assertThat(resources.routes().get(0).getVirtualHostsList()).extracting(v -> v.getName())
                .containsExactly("orders-db.local", "users-db.local");
    }

    /** The collector's guard: one name, two contents is a bug to report, not a coin toss. */
    @Test
    void twoDifferentResourcesOfOneNameAreRefused() {
        ResourceCollector out = new ResourceCollector();
        Cluster plain = Cluster.newBuilder().setName("c").build();
        out.cluster(plain, null);
        out.cluster(plain.toBuilder().build(), null);
        assertThatThrownBy(() -> out.cluster(plain.toBuilder().setConnectTimeout(Durations.ofMillis(5)).build(), null))
                .isInstanceOf(UnservableConfigurationException.class)
                .hasMessageStartingWith("two different clusters are named 'c'");
    }

    /** A gateway reaching one node through two services under mesh mTLS: each service's SNI, each its own cluster. */
    @Test
    void aGatewayReachingOneNodeThroughTwoServicesKeepsEachSni() {
        String json = """
                {"mesh": "m", "mtls": "STRICT",
                 "virtualNodes": {"orders": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
                                             "serviceDiscovery": {"dns": {"hostname": "orders.internal"}}}},
                 "virtualServices": {
                   "orders.local": {"provider": {"virtualNode": {"virtualNodeName": "orders"}}},
                   "orders-v2.local": {"provider": {"virtualNode": {"virtualNodeName": "orders"}}}},
                 "virtualGateways": {"edge": {"listeners": [{"portMapping": {"port": 8443, "protocol": "http"}}]}},
                 "gatewayRoutes": {"edge": {
                   "a": {"httpRoute": {"match": {"prefix": "/a"},
                         "action": {"target": {"virtualService": {"virtualServiceName": "orders.local"}}}}},
                   "b": {"httpRoute": {"match": {"prefix": "/b"},
                         "action": {"target": {"virtualService": {"virtualServiceName": "orders-v2.local"}}}}}}}}
                """;
        ProxyResources resources = MeshTranslator.translate(GoldenTest.view(JsonMapper.builder().build().readTree(json)),
                new ProxyId("m", ProxyId.Kind.GATEWAY, "edge"));
        assertThat(resources.clusters()).hasSize(2).allSatisfy(c -> assertThat(c.getName())
                .startsWith("cds_egress_m_orders_http_8080_tls_"));
        assertThat(resources.routes().get(0).getVirtualHosts(0).getRoutesList())
                .extracting(r -> r.getRoute().getCluster())
                .containsExactlyInAnyOrderElementsOf(resources.clusters().stream().map(Cluster::getName).toList());
        assertThat(EnvoyValidator.validate(resources)).isEmpty();
    }

    private static MeshView view(String ordersProtocol, String usersProtocol) {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {
                   "web": {"backends": [{"virtualService": {"virtualServiceName": "orders-db.local"}},
                                        {"virtualService": {"virtualServiceName": "users-db.local"}}]},
                   "orders-db": {"listeners": [{"portMapping": {"port": 5432, "protocol": "%s"}}],
                                 "serviceDiscovery": {"dns": {"hostname": "orders-db.internal"}}},
                   "users-db": {"listeners": [{"portMapping": {"port": 5432, "protocol": "%s"}}],
                                "serviceDiscovery": {"dns": {"hostname": "users-db.internal"}}}},
                 "virtualServices": {
                   "orders-db.local": {"provider": {"virtualNode": {"virtualNodeName": "orders-db"}}},
                   "users-db.local": {"provider": {"virtualNode": {"virtualNodeName": "users-db"}}}}}
                """.formatted(ordersProtocol, usersProtocol);
        return GoldenTest.view(JsonMapper.builder().build().readTree(json));
    }
}
