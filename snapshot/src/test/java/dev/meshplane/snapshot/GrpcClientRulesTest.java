package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** gRPC clients' own load-time rules (grpc-java, grpc-js, C-core), and what translation sends them. */
class GrpcClientRulesTest {

    private static ProxyResources routes(RouteAction.Builder action) {
        return new ProxyResources(List.of(), List.of(), List.of(), List.of(RouteConfiguration.newBuilder().setName("s:1")
                .addVirtualHosts(VirtualHost.newBuilder().setName("s").addDomains("s").addRoutes(Route.newBuilder()
                        .setName("r").setMatch(RouteMatch.newBuilder().setPrefix("/")).setRoute(action)))
                .build()));
    }

    @Test
    void numRetriesZeroIsRefusedAsCCoreRefusesIt() {
        RouteAction.Builder action = RouteAction.newBuilder().setCluster("c").setRetryPolicy(RetryPolicy.newBuilder()
                .setRetryOn("unavailable").setNumRetries(UInt32Value.of(0)));
        assertThat(GrpcClientRules.validate(routes(action)))
                .containsExactly("route configuration s:1, virtual host s, route r: retry policy with num_retries 0,"
                        + " which gRPC clients refuse");
    }

    @Test
    void retryBackOffAndConditionsAsGrpcReadsThem() {
        RouteAction.Builder action = RouteAction.newBuilder().setCluster("c").setRetryPolicy(RetryPolicy.newBuilder()
                .setRetryOn("5xx,reset").setNumRetries(UInt32Value.of(1))
                .setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder()
                        .setBaseInterval(Durations.ofMillis(100)).setMaxInterval(Durations.ofMillis(50))));
        assertThat(GrpcClientRules.validate(routes(action))).hasSize(2)
                .anySatisfy(v -> assertThat(v).contains("max_interval is below base_interval"))
                .anySatisfy(v -> assertThat(v).contains("retries on '5xx,reset', none of which gRPC clients act on"));
    }

    @Test
    void weightedClustersMustWeighSomething() {
        RouteAction.Builder action = RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName("a").setWeight(UInt32Value.of(0))));
        assertThat(GrpcClientRules.validate(routes(action))).singleElement().asString()
                .contains("weighted clusters weigh 0 in all");
    }

    @Test
    void clustersReportLoadToTheirOwnServerOnly() {
        Cluster elsewhere = Cluster.newBuilder().setName("c").setType(Cluster.DiscoveryType.EDS)
                .setLrsServer(ClusterTranslator.ads()).build();
        assertThat(GrpcClientRules.validate(new ProxyResources(List.of(elsewhere), List.of(), List.of(), List.of())))
                .containsExactly("cluster c: lrs_server is not 'self', which gRPC clients refuse");
        Cluster self = elsewhere.toBuilder().setLrsServer(ClusterTranslator.self()).build();
        assertThat(GrpcClientRules.validate(new ProxyResources(List.of(self), List.of(), List.of(), List.of()))).isEmpty();
    }

    @Test
    void strictDnsClustersLocalitiesWithoutWeightAndHostNamesAreRefused() {
        ProxyResources resources = new ProxyResources(
                List.of(Cluster.newBuilder().setName("c").setType(Cluster.DiscoveryType.STRICT_DNS).build()),
                List.of(ClusterLoadAssignment.newBuilder().setClusterName("e").addEndpoints(LocalityLbEndpoints.newBuilder()
                        .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                                .setAddress(EndpointTranslator.socket("db.local", 5432))))).build()),
                List.of(), List.of());
        assertThat(GrpcClientRules.validate(resources)).containsExactlyInAnyOrder(
                "cluster c: discovery type STRICT_DNS is refused by gRPC clients (EDS or LOGICAL_DNS only)",
                "endpoints e: a locality without load_balancing_weight, which gRPC clients skip",
                "endpoints e: endpoint address 'db.local' is not an IP literal, which gRPC requires");
    }

    /** Issue 12, example 2: App Mesh allows maxRetries 0; a gRPC client gets no retry policy rather than num_retries 0. */
    @Test
    void maxRetriesZeroGivesAGrpcClientNoRetryPolicy() {
        ProxyResources resources = MeshTranslator.translate(view(0, 1), new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "client"));
        Route route = resources.routes().get(0).getVirtualHosts(0).getRoutes(0);
        assertThat(route.getRoute().hasRetryPolicy()).isFalse();
        assertThat(GrpcClientRules.validate(resources)).isEmpty();
        Route envoy = MeshTranslator.translate(view(0, 1), new ProxyId("m", ProxyId.Kind.SIDECAR, "client"))
                .routes().get(0).getVirtualHosts(0).getRoutes(0);
        assertThat(envoy.getRoute().getRetryPolicy().getNumRetries().getValue()).isZero();
    }

    /** A route whose targets all weigh 0 is a 503 for Envoy; gRPC clients have no such action, so it is not sent. */
    @Test
    void aRouteWithNothingToSendToIsReportedForGrpcClients() {
        assertThatThrownBy(() -> MeshTranslator.translate(view(1, 0), new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "client")))
                .isInstanceOf(UnservableConfigurationException.class)
                .hasMessageContaining("route configuration svc.local:50051, virtual host svc.local, route r:"
                        + " has action DIRECT_RESPONSE");
    }

    private static MeshView view(int maxRetries, int weight) {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {
                   "client": {"backends": [{"virtualService": {"virtualServiceName": "svc.local"}}]},
                   "server": {"listeners": [{"portMapping": {"port": 50051, "protocol": "grpc"}}],
                              "serviceDiscovery": {"awsCloudMap": {"namespaceName": "ns", "serviceName": "server"}}}},
                 "virtualServices": {"svc.local": {"provider": {"virtualRouter": {"virtualRouterName": "router"}}}},
                 "virtualRouters": {"router": {"listeners": [{"portMapping": {"port": 50051, "protocol": "grpc"}}]}},
                 "routes": {"router": {"r": {"grpcRoute": {
                   "match": {"serviceName": "pkg.Svc"},
                   "action": {"weightedTargets": [{"virtualNode": "server", "weight": %d}]},
                   "retryPolicy": {"maxRetries": %d, "perRetryTimeout": {"unit": "ms", "value": 100},
                                   "grpcRetryEvents": ["unavailable"]}}}}}}
                """.formatted(weight, maxRetries);
        return GoldenTest.view(JsonMapper.builder().build().readTree(json));
    }
}
