package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
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

    /** Issue 12, example 1: C-core 1.51 refuses the route configuration ("Invalid route header matcher specified."). */
    @Test
    void headerMatchersInStringMatchAreRefusedAsCCore151RefusesThem() {
        ProxyResources resources = new ProxyResources(List.of(), List.of(), List.of(), List.of(RouteConfiguration.newBuilder()
                .setName("s:1").addVirtualHosts(VirtualHost.newBuilder().setName("s").addDomains("s").addRoutes(Route.newBuilder()
                        .setName("r").setRoute(RouteAction.newBuilder().setCluster("c")).setMatch(RouteMatch.newBuilder()
                                .setPrefix("/").addHeaders(HeaderMatcher.newBuilder().setName("x-user-segment")
                                        .setStringMatch(StringMatcher.newBuilder().setExact("premium"))))))
                .build()));
        assertThat(GrpcClientRules.validate(resources)).containsExactly("route configuration s:1, virtual host s, route r:"
                + " header matcher 'x-user-segment' in STRING_MATCH, which older gRPC clients (C-core 1.51) refuse with the"
                + " whole route configuration");
    }

    /** Issue 12, example 1: C-core 1.51 wants weights adding up to total_weight, 100 when unset; App Mesh's need not. */
    @Test
    void weightsMustAddUpToTotalWeightAsCCore151Requires() {
        WeightedCluster.Builder threeToOne = WeightedCluster.newBuilder()
                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName("a").setWeight(UInt32Value.of(3)))
                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName("b").setWeight(UInt32Value.of(1)));
        assertThat(GrpcClientRules.validate(routes(RouteAction.newBuilder().setWeightedClusters(threeToOne))))
                .singleElement().asString().contains("weigh 4 in all but total_weight is 100 (unset)");
        assertThat(GrpcClientRules.validate(routes(RouteAction.newBuilder()
                .setWeightedClusters(threeToOne.clone().setTotalWeight(UInt32Value.of(4)))))).isEmpty();
    }

    /** What a gRPC client is sent passes those rules; an Envoy keeps string_match and the sum of weights as its total. */
    @Test
    @SuppressWarnings("deprecation")
    void grpcClientsGetHeaderMatchersAndWeightsInFormsEveryVersionParses() {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {
                   "client": {"backends": [{"virtualService": {"virtualServiceName": "svc.local"}}]},
                   "a": {"listeners": [{"portMapping": {"port": 50051, "protocol": "grpc"}}],
                         "serviceDiscovery": {"awsCloudMap": {"namespaceName": "ns", "serviceName": "a"}}},
                   "b": {"listeners": [{"portMapping": {"port": 50051, "protocol": "grpc"}}],
                         "serviceDiscovery": {"awsCloudMap": {"namespaceName": "ns", "serviceName": "b"}}}},
                 "virtualServices": {"svc.local": {"provider": {"virtualRouter": {"virtualRouterName": "router"}}}},
                 "virtualRouters": {"router": {"listeners": [{"portMapping": {"port": 50051, "protocol": "grpc"}}]}},
                 "routes": {"router": {"r": {"grpcRoute": {
                   "match": {"serviceName": "pkg.Svc", "metadata": [
                     {"name": "x-exact", "match": {"exact": "premium"}},
                     {"name": "x-prefix", "match": {"prefix": "pre"}},
                     {"name": "x-suffix", "match": {"suffix": "fix"}},
                     {"name": "x-regex", "invert": true, "match": {"regex": "v[0-9]+"}},
                     {"name": "x-range", "match": {"range": {"start": 1, "end": 5}}},
                     {"name": "x-present"}]},
                   "action": {"weightedTargets": [{"virtualNode": "a", "weight": 3}, {"virtualNode": "b", "weight": 1}]}}}}}}
                """;
        MeshView view = GoldenTest.view(JsonMapper.builder().build().readTree(json));
        ProxyResources grpc = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "client"));
        assertThat(GrpcClientRules.validate(grpc)).isEmpty();
        Route route = grpc.routes().get(0).getVirtualHosts(0).getRoutes(0);
        assertThat(route.getMatch().getHeadersList()).extracting(HeaderMatcher::getHeaderMatchSpecifierCase).containsExactly(
                HeaderMatcher.HeaderMatchSpecifierCase.EXACT_MATCH, HeaderMatcher.HeaderMatchSpecifierCase.PREFIX_MATCH,
                HeaderMatcher.HeaderMatchSpecifierCase.SUFFIX_MATCH, HeaderMatcher.HeaderMatchSpecifierCase.SAFE_REGEX_MATCH,
                HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH, HeaderMatcher.HeaderMatchSpecifierCase.RANGE_MATCH,
                HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH);
        assertThat(route.getMatch().getHeaders(0).getExactMatch()).isEqualTo("premium");
        assertThat(route.getMatch().getHeaders(3).getInvertMatch()).isTrue();
        assertThat(route.getMatch().getHeaders(3).getSafeRegexMatch().getRegex()).isEqualTo("(?:v[0-9]+)");
        assertThat(route.getRoute().getWeightedClusters().getTotalWeight().getValue()).isEqualTo(4);

        Route envoy = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.SIDECAR, "client"))
                .routes().get(0).getVirtualHosts(0).getRoutes(0);
        assertThat(envoy.getMatch().getHeaders(0).getStringMatch().getExact()).isEqualTo("premium");
        assertThat(envoy.getRoute().getWeightedClusters().hasTotalWeight()).isFalse();
    }

    /**
     * grpc-js matches a regex as {@code ^<regex>$} (matcher.ts): an alternation not in one group matches other values
     * than in Envoy, grpc-java and C-core, so such a regex is a violation, and gRPC clients get each regex, path and
     * metadata alike, as one group (an open {@code \Q} quote closed first). Envoy keeps the regex as written.
     */
    @Test
    @SuppressWarnings("deprecation")
    void regexesReachGrpcClientsAsOneGroupSoGrpcJsAnchorsThemAsAFullMatch() {
        for (String loose : List.of("premium|gold", "(?:a)|(?:b)", "(a)|b", "a.*")) {
            assertThat(GrpcClientRules.validate(headerRoute(loose))).as(loose).singleElement().asString()
                    .contains("header matcher 'x-user-segment': regex '" + loose + "' is not one group spanning the pattern");
        }
        assertThat(GrpcClientRules.validate(headerRoute("(?:premium|gold)"))).isEmpty();
        assertThat(GrpcClientForms.grouped("premium|gold")).isEqualTo("(?:premium|gold)");
        assertThat(GrpcClientForms.grouped("\\Qa.b")).isEqualTo("(?:\\Qa.b\\E)");
        assertThat(GrpcClientForms.grouped("\\Qa\\E|\\Qb")).isEqualTo("(?:\\Qa\\E|\\Qb\\E)");
        assertThat(GrpcClientForms.grouped("[\\\\]\\Q)")).isEqualTo("(?:[\\\\]\\Q)\\E)");
        assertThat(GrpcClientForms.grouped("a\\\\Q")).isEqualTo("(?:a\\\\Q)");
        assertThat(GrpcClientRules.validate(headerRoute(GrpcClientForms.grouped("\\Qa.b")))).isEmpty();

        String json = """
                {"mesh": "m",
                 "virtualNodes": {
                   "client": {"backends": [{"virtualService": {"virtualServiceName": "svc.local"}}]},
                   "a": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http2"}}],
                         "serviceDiscovery": {"awsCloudMap": {"namespaceName": "ns", "serviceName": "a"}}}},
                 "virtualServices": {"svc.local": {"provider": {"virtualRouter": {"virtualRouterName": "router"}}}},
                 "virtualRouters": {"router": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http2"}}]}},
                 "routes": {"router": {"r": {"http2Route": {
                   "match": {"path": {"regex": "/pkg.Svc/(Get|List)"},
                             "headers": [{"name": "x-tier", "match": {"regex": "gold|silver"}}]},
                   "action": {"weightedTargets": [{"virtualNode": "a", "weight": 1}]}}}}}}
                """;
        MeshView view = GoldenTest.view(JsonMapper.builder().build().readTree(json));
        ProxyResources grpc = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "client"));
        assertThat(GrpcClientRules.validate(grpc)).isEmpty();
        Route route = grpc.routes().get(0).getVirtualHosts(0).getRoutes(0);
        assertThat(route.getMatch().getSafeRegex().getRegex()).isEqualTo("(?:/pkg.Svc/(Get|List))");
        assertThat(route.getMatch().getHeaders(0).getSafeRegexMatch().getRegex()).isEqualTo("(?:gold|silver)");
        Route envoy = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.SIDECAR, "client"))
                .routes().get(0).getVirtualHosts(0).getRoutes(0);
        assertThat(envoy.getMatch().getSafeRegex().getRegex()).isEqualTo("/pkg.Svc/(Get|List)");
    }

    /**
     * App Mesh durations reach 315,576,000,000 s: grpc-java NACKs a route configuration or cluster holding one above
     * 2^63-1 ns (protobuf's checked Durations.toNanos), and grpc-js sweeps every millisecond under an outlier
     * detection interval above 2^31-1 ms (Node's setTimeout). gRPC clients get them capped there; Envoy as written.
     */
    @Test
    void durationsReachGrpcClientsWithinWhatGrpcJavaAndGrpcJsHold() {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {
                   "client": {"backends": [{"virtualService": {"virtualServiceName": "svc.local"}}]},
                   "a": {"listeners": [{"portMapping": {"port": 50051, "protocol": "grpc"},
                                        "outlierDetection": {"maxServerErrors": 5, "maxEjectionPercent": 50,
                                          "interval": {"unit": "s", "value": 2592000},
                                          "baseEjectionDuration": {"unit": "s", "value": 315576000000}}}],
                         "serviceDiscovery": {"awsCloudMap": {"namespaceName": "ns", "serviceName": "a"}}}},
                 "virtualServices": {"svc.local": {"provider": {"virtualRouter": {"virtualRouterName": "router"}}}},
                 "virtualRouters": {"router": {"listeners": [{"portMapping": {"port": 50051, "protocol": "grpc"}}]}},
                 "routes": {"router": {"r": {"grpcRoute": {
                   "match": {"serviceName": "pkg.Svc"},
                   "timeout": {"perRequest": {"unit": "s", "value": 315576000000}},
                   "action": {"weightedTargets": [{"virtualNode": "a", "weight": 1}]}}}}}}
                """;
        MeshView view = GoldenTest.view(JsonMapper.builder().build().readTree(json));
        ProxyResources grpc = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "client"));
        assertThat(GrpcClientRules.validate(grpc)).isEmpty();
        assertThat(grpc.routes().get(0).getVirtualHosts(0).getRoutes(0).getRoute().getMaxStreamDuration().getMaxStreamDuration())
                .isEqualTo(com.google.protobuf.Duration.newBuilder().setSeconds(9_223_372_036L).setNanos(854_775_807).build());
        Cluster cluster = grpc.clusters().get(0);
        assertThat(cluster.getOutlierDetection().getInterval())
                .isEqualTo(com.google.protobuf.Duration.newBuilder().setSeconds(2_147_483L).setNanos(647_000_000).build());
        assertThat(cluster.getOutlierDetection().getBaseEjectionTime().getSeconds()).isEqualTo(9_223_372_036L);

        ProxyResources envoy = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.SIDECAR, "client"));
        assertThat(envoy.routes().get(0).getVirtualHosts(0).getRoutes(0).getRoute().getTimeout().getSeconds())
                .isEqualTo(315_576_000_000L);
        assertThat(envoy.clusters().get(0).getOutlierDetection().getInterval().getSeconds()).isEqualTo(2_592_000L);

        com.google.protobuf.Duration endless = com.google.protobuf.Duration.newBuilder().setSeconds(315_576_000_000L).build();
        assertThat(GrpcClientRules.validate(routes(RouteAction.newBuilder().setCluster("c").setMaxStreamDuration(
                RouteAction.MaxStreamDuration.newBuilder().setMaxStreamDuration(endless))))).singleElement().asString()
                .contains("max_stream_duration 315576000000s is longer than grpc-java reads");
        assertThat(GrpcClientRules.validate(new ProxyResources(List.of(Cluster.newBuilder().setName("c")
                .setType(Cluster.DiscoveryType.EDS).setOutlierDetection(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection
                        .newBuilder().setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(2_592_000L))
                        .setMaxEjectionTime(endless)).build()), List.of(), List.of(), List.of())))
                .containsExactly("cluster c: outlier detection interval 2592000s is longer than grpc-js can time"
                                + " (2147483.647s), so it would sweep every millisecond",
                        "cluster c: outlier detection max_ejection_time 315576000000s is longer than grpc-java reads"
                                + " (9223372036.854775807s), so it refuses the resource");
    }

    /**
     * grpc-js refuses an assignment naming one address and port twice (endpoint-resource-type.ts: "address is a
     * duplicate of another address in the same endpoint"): two instances registered at one address give one endpoint.
     */
    @Test
    void anAddressTwoInstancesShareIsOneEndpoint() {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {
                   "client": {"backends": [{"virtualService": {"virtualServiceName": "a.local"}}]},
                   "a": {"listeners": [{"portMapping": {"port": 50051, "protocol": "grpc"}}],
                         "serviceDiscovery": {"awsCloudMap": {"namespaceName": "ns", "serviceName": "a"}}}},
                 "virtualServices": {"a.local": {"provider": {"virtualNode": {"virtualNodeName": "a"}}}},
                 "instances": [
                   {"namespace": "ns", "service": "a", "id": "i-2", "attributes": {"AWS_INSTANCE_IPV4": "10.0.0.5"}},
                   {"namespace": "ns", "service": "a", "id": "i-1", "attributes": {"AWS_INSTANCE_IPV4": "10.0.0.5",
                     "AWS_INSTANCE_PORT": "50051"}},
                   {"namespace": "ns", "service": "a", "id": "i-3", "attributes": {"AWS_INSTANCE_IPV4": "10.0.0.5",
                     "AWS_INSTANCE_PORT": "50052"}}]}
                """;
        ProxyResources grpc = MeshTranslator.translate(GoldenTest.view(JsonMapper.builder().build().readTree(json)),
                new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "client"));
        assertThat(GrpcClientRules.validate(grpc)).isEmpty();
        assertThat(grpc.endpoints().get(0).getEndpoints(0).getLbEndpointsList())
                .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getPortValue()).containsExactly(50051, 50052);

        LbEndpoint twice = LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(EndpointTranslator.socket(
                "10.0.0.5", 50051))).build();
        assertThat(GrpcClientRules.validate(new ProxyResources(List.of(), List.of(ClusterLoadAssignment.newBuilder()
                .setClusterName("c").addEndpoints(LocalityLbEndpoints.newBuilder().setLoadBalancingWeight(UInt32Value.of(1))
                        .addLbEndpoints(twice).addLbEndpoints(twice)).build()), List.of(), List.of())))
                .containsExactly("endpoints c: endpoint 10.0.0.5:50051 appears twice, which grpc-js refuses");
    }

    /**
     * grpc-js builds an xDS server's RBAC matchers with its route matchers (rbac.ts), anchoring a regex as ^...$:
     * a gRPC server gets each RBAC regex as one group too, and its Envoy sidecar the regex as written.
     */
    @Test
    void rbacRegexesReachGrpcServersAsOneGroup() {
        String json = """
                {"mesh": "m", "proxyless": true,
                 "virtualNodes": {
                   "a": {"listeners": [{"portMapping": {"port": 50051, "protocol": "grpc"}}],
                         "serviceDiscovery": {"awsCloudMap": {"namespaceName": "ns", "serviceName": "a"}}}},
                 "authorizationPolicies": {"tiers": {"targets": {"virtualNodes": ["a"]}, "action": "DENY",
                   "rules": [{"to": {"headers": [{"name": "x-tier", "regex": "free|trial"}]}}]}}}
                """;
        MeshView view = GoldenTest.view(JsonMapper.builder().build().readTree(json));
        ProxyResources grpc = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "a"));
        assertThat(GrpcClientRules.validate(grpc)).isEmpty();
        assertThat(grpc.listeners().get(0).toString()).contains("(?:free|trial)");
        ProxyResources envoy = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.SIDECAR, "a"));
        assertThat(envoy.listeners().toString()).contains("free|trial").doesNotContain("(?:free|trial)");
    }

    private static ProxyResources headerRoute(String regex) {
        return new ProxyResources(List.of(), List.of(), List.of(), List.of(RouteConfiguration.newBuilder().setName("s:1")
                .addVirtualHosts(VirtualHost.newBuilder().setName("s").addDomains("s").addRoutes(Route.newBuilder()
                        .setName("r").setRoute(RouteAction.newBuilder().setCluster("c")).setMatch(RouteMatch.newBuilder()
                                .setPrefix("/").addHeaders(HeaderMatcher.newBuilder().setName("x-user-segment")
                                        .setSafeRegexMatch(io.envoyproxy.envoy.type.matcher.v3.RegexMatcher.newBuilder()
                                                .setRegex(regex))))))
                .build()));
    }

    /**
     * Issue 12's kind, metadata gRPC clients match unlike Envoy: an inverted match on metadata a call does not carry
     * matches in grpc-js only, so gRPC clients get a present match beside it (the route then matches in no client,
     * as in Envoy); a name written with capitals goes lower-cased, as gRPC metadata names are. Envoy's route keeps
     * the single inverted matcher and the name as written (Envoy lower-cases it itself).
     */
    @Test
    @SuppressWarnings("deprecation")
    void invertedMetadataMatchesMissAbsentMetadataInEveryClientAsInEnvoy() {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {
                   "client": {"backends": [{"virtualService": {"virtualServiceName": "svc.local"}}]},
                   "a": {"listeners": [{"portMapping": {"port": 50051, "protocol": "grpc"}}],
                         "serviceDiscovery": {"awsCloudMap": {"namespaceName": "ns", "serviceName": "a"}}}},
                 "virtualServices": {"svc.local": {"provider": {"virtualRouter": {"virtualRouterName": "router"}}}},
                 "virtualRouters": {"router": {"listeners": [{"portMapping": {"port": 50051, "protocol": "grpc"}}]}},
                 "routes": {"router": {"r": {"grpcRoute": {
                   "match": {"serviceName": "pkg.Svc", "metadata": [
                     {"name": "X-Tier", "invert": true, "match": {"exact": "free"}},
                     {"name": "x-canary", "invert": true}]},
                   "action": {"weightedTargets": [{"virtualNode": "a", "weight": 1}]}}}}}}
                """;
        MeshView view = GoldenTest.view(JsonMapper.builder().build().readTree(json));
        Route grpc = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "client"))
                .routes().get(0).getVirtualHosts(0).getRoutes(0);
        assertThat(grpc.getMatch().getHeadersList()).containsExactly(
                HeaderMatcher.newBuilder().setName("x-tier").setInvertMatch(true).setExactMatch("free").build(),
                HeaderMatcher.newBuilder().setName("x-tier").setPresentMatch(true).build(),
                HeaderMatcher.newBuilder().setName("x-canary").setInvertMatch(true).setPresentMatch(true).build());
        Route envoy = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.SIDECAR, "client"))
                .routes().get(0).getVirtualHosts(0).getRoutes(0);
        assertThat(envoy.getMatch().getHeadersList()).extracting(HeaderMatcher::getName).containsExactly("X-Tier", "x-canary");
    }

    /**
     * A route matching query parameters, which gRPC clients skip (grpc-java parseRouteMatch, C-core
     * xds_route_config.cc), is left out for them and noted, and the rest of the route configuration is sent, where
     * before the whole configuration was withheld for it. A virtual host holding only such routes, which would be left
     * without routes (C-core 1.51 refuses that with the whole route configuration), gets one catch-all route to the
     * cluster without endpoints instead: its calls fail with UNAVAILABLE, as a call matching no route does in every
     * client, and the node's other backends are served (it used to withhold the node's whole configuration).
     */
    @Test
    void aRouteGrpcClientsSkipIsLeftOutAndNotedNotTheWholeConfiguration() {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {
                   "client": {"backends": [{"virtualService": {"virtualServiceName": "svc.local"}}]},
                   "a": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
                         "serviceDiscovery": {"awsCloudMap": {"namespaceName": "ns", "serviceName": "a"}}}},
                 "virtualServices": {"svc.local": {"provider": {"virtualRouter": {"virtualRouterName": "router"}}}},
                 "virtualRouters": {"router": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]}},
                 "routes": {"router": {
                   "beta": {"priority": 0, "httpRoute": {"match": {"prefix": "/", "queryParameters": [{"name": "beta"}]},
                            "action": {"weightedTargets": [{"virtualNode": "a", "weight": 1}]}}},
                   "all": {"priority": 1, "httpRoute": {"match": {"prefix": "/"},
                           "action": {"weightedTargets": [{"virtualNode": "a", "weight": 1}]}}}}}}
                """;
        MeshView view = GoldenTest.view(JsonMapper.builder().build().readTree(json));
        ProxyResources grpc = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "client"));
        assertThat(grpc.routes().get(0).getVirtualHosts(0).getRoutesList()).extracting(Route::getName).containsExactly("all");
        assertThat(grpc.notes()).containsExactly("route configuration svc.local:8080, virtual host svc.local, route beta:"
                + " matches query parameters, which gRPC clients skip; left out for them, so their calls go to the next"
                + " route that matches (gRPC calls carry no query string: match them on a header, gRPC metadata, instead)");
        assertThat(MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.SIDECAR, "client")).routes().get(0)
                .getVirtualHosts(0).getRoutesList()).extracting(Route::getName).containsExactly("beta", "all");

        MeshView onlySkipped = GoldenTest.view(JsonMapper.builder().build().readTree(json.replace("\"all\": {\"priority\": 1,"
                + " \"httpRoute\": {\"match\": {\"prefix\": \"/\"}", "\"all\": {\"priority\": 1, \"httpRoute\": {\"match\":"
                + " {\"prefix\": \"/\", \"queryParameters\": [{\"name\": \"x\"}]}")));
        ProxyResources onlyStandIn = MeshTranslator.translate(onlySkipped, new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "client"));
        Route standIn = onlyStandIn.routes().get(0).getVirtualHosts(0).getRoutes(0);
        assertThat(onlyStandIn.routes().get(0).getVirtualHosts(0).getRoutesCount()).isOne();
        assertThat(standIn.getMatch().getPrefix()).isEqualTo("/");
        assertThat(standIn.getRoute().getCluster()).isEqualTo(UnavailableCluster.NAME);
        assertThat(onlyStandIn.clusters()).contains(UnavailableCluster.CLUSTER);
        assertThat(onlyStandIn.endpoints()).contains(UnavailableCluster.ENDPOINTS);
        assertThat(onlyStandIn.notes()).hasSize(3).last().isEqualTo("route configuration svc.local:8080, virtual host"
                + " svc.local: every route matches query parameters; gRPC clients get one route in its place, whose calls"
                + " fail with UNAVAILABLE as calls matching no route do (C-core 1.51 refuses a virtual host without routes);"
                + " add a route to the virtual router, or one without query parameters");
        assertThat(GrpcClientRules.validate(onlyStandIn)).isEmpty();
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

    /**
     * Issue 12: a route whose targets all weigh 0 is a 503 for Envoy; gRPC clients refuse direct_response with the
     * whole route configuration, so they get a route to a cluster without endpoints (their calls on it fail with
     * UNAVAILABLE), the rest of the node's configuration is sent, and a note names the route.
     */
    @Test
    void aRouteWithNothingToSendToGoesToTheUnavailableClusterForGrpcClients() {
        ProxyResources resources = MeshTranslator.translate(view(1, 0), new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "client"));
        Route route = resources.routes().get(0).getVirtualHosts(0).getRoutes(0);
        assertThat(route.getRoute().getCluster()).isEqualTo(UnavailableCluster.NAME);
        assertThat(route.getRoute().hasRetryPolicy()).as("nothing to retry towards").isFalse();
        assertThat(resources.clusters()).contains(UnavailableCluster.CLUSTER);
        assertThat(resources.endpoints()).contains(UnavailableCluster.ENDPOINTS);
        assertThat(resources.notes()).containsExactly("route configuration svc.local:50051, virtual host svc.local, route r:"
                + " every target weighs 0 or is a virtual node without a listener; gRPC clients' calls matching it fail"
                + " with UNAVAILABLE (Envoy answers them 503); give a target a weight above 0 on a virtual node with a"
                + " listener");
        assertThat(GrpcClientRules.validate(resources)).isEmpty();
        Route envoy = MeshTranslator.translate(view(1, 0), new ProxyId("m", ProxyId.Kind.SIDECAR, "client"))
                .routes().get(0).getVirtualHosts(0).getRoutes(0);
        assertThat(envoy.getDirectResponse().getStatus()).as("Envoy keeps its 503").isEqualTo(503);
    }

    /**
     * A virtual router without routes gives an empty virtual host, which C-core 1.51 refuses with the whole route
     * configuration: gRPC clients get one catch-all route to the cluster without endpoints instead (a call matching no
     * route fails with UNAVAILABLE in every client anyway); Envoy keeps the empty virtual host.
     */
    @Test
    void aRouterWithoutRoutesGivesGrpcClientsOneUnavailableRoute() throws Exception {
        MeshView view = GoldenTest.view(JsonMapper.builder().build().readTree("""
                {"mesh": "m",
                 "virtualNodes": {"client": {"backends": [{"virtualService": {"virtualServiceName": "svc.local"}}]}},
                 "virtualServices": {"svc.local": {"provider": {"virtualRouter": {"virtualRouterName": "router"}}}},
                 "virtualRouters": {"router": {"listeners": [{"portMapping": {"port": 50051, "protocol": "grpc"}}]}}}
                """));
        ProxyResources grpc = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "client"));
        assertThat(grpc.routes().get(0).getVirtualHosts(0).getRoutesList()).extracting(r -> r.getRoute().getCluster())
                .containsExactly(UnavailableCluster.NAME);
        assertThat(grpc.clusters()).containsExactly(UnavailableCluster.CLUSTER);
        assertThat(grpc.notes()).containsExactly("route configuration svc.local:50051, virtual host svc.local: has no route"
                + " (its virtual router has none); gRPC clients get one route in its place, whose calls fail with UNAVAILABLE"
                + " as calls matching no route do (C-core 1.51 refuses a virtual host without routes);"
                + " add a route to the virtual router, or one without query parameters");
        assertThat(GrpcClientRules.validate(grpc)).isEmpty();
        assertThat(MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.SIDECAR, "client")).routes().get(0)
                .getVirtualHosts(0).getRoutesCount()).isZero();
    }

    /** C-core 1.51 refuses a virtual host without routes with the whole route configuration. */
    @Test
    void aVirtualHostWithoutRoutesIsReportedForGrpcClients() {
        ProxyResources resources = new ProxyResources(List.of(), List.of(), List.of(), List.of(RouteConfiguration.newBuilder()
                .setName("c").addVirtualHosts(VirtualHost.newBuilder().setName("h").addDomains("h")).build()));
        assertThat(GrpcClientRules.validate(resources)).containsExactly("route configuration c, virtual host h: has no"
                + " route, which older gRPC clients (C-core 1.51) refuse with the whole route configuration");
    }

    /** A direct_response slipping through to a gRPC client is still reported, not sent. */
    @Test
    void aDirectResponseIsReportedForGrpcClients() {
        Route direct = Route.newBuilder().setName("r").setMatch(RouteMatch.newBuilder()
                .setPrefix("/")).setDirectResponse(io.envoyproxy.envoy.config.route.v3.DirectResponseAction.newBuilder()
                .setStatus(503)).build();
        ProxyResources resources = new ProxyResources(List.of(), List.of(), List.of(), List.of(
                RouteConfiguration.newBuilder().setName("c").addVirtualHosts(
                        VirtualHost.newBuilder().setName("h").addDomains("h")
                                .addRoutes(direct)).build()));
        assertThat(GrpcClientRules.validate(resources)).containsExactly("route configuration c, virtual host h, route r:"
                + " has action DIRECT_RESPONSE; gRPC clients accept only a route to clusters and refuse the whole route"
                + " configuration");
    }

    /**
     * The seed's A/B routes target recommendation nodes its manifests give no listener: for gRPC clients that route
     * fails its calls with UNAVAILABLE, and the node's other route (and backends) are served as they are.
     */
    @Test
    void aRouteToNodesWithoutListenersGoesToTheUnavailableClusterForGrpcClients() throws Exception {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {
                   "client": {"backends": [{"virtualService": {"virtualServiceName": "svc.local"}}]},
                   "server": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
                              "serviceDiscovery": {"awsCloudMap": {"namespaceName": "ns", "serviceName": "server"}}},
                   "ml-v1": {}, "ml-v2": {}},
                 "virtualServices": {"svc.local": {"provider": {"virtualRouter": {"virtualRouterName": "router"}}}},
                 "virtualRouters": {"router": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]}},
                 "routes": {"router": {
                   "ab-test": {"priority": 0, "httpRoute": {"match": {"prefix": "/api/recommendations"},
                               "action": {"weightedTargets": [{"virtualNode": "ml-v1", "weight": 50},
                                                              {"virtualNode": "ml-v2", "weight": 50}]}}},
                   "all": {"priority": 1, "httpRoute": {"match": {"prefix": "/"},
                           "action": {"weightedTargets": [{"virtualNode": "server", "weight": 1}]}}}}}}
                """;
        MeshView view = GoldenTest.view(JsonMapper.builder().build().readTree(json));
        ProxyResources resources = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.GRPC_CLIENT, "client"));
        List<Route> routes = resources.routes().get(0).getVirtualHosts(0).getRoutesList();
        assertThat(routes).extracting(Route::getName).containsExactly("ab-test", "all");
        assertThat(routes).extracting(r -> r.getRoute().getCluster())
                .containsExactly(UnavailableCluster.NAME, "cds_egress_m_server_http_8080");
        assertThat(resources.notes()).singleElement().asString().contains("route ab-test: every target weighs 0 or is a"
                + " virtual node without a listener");
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
