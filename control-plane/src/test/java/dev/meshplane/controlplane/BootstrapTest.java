package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.controlplane.xds.XdsServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Bootstraps for Envoy and for proxyless gRPC point at this server's xDS port with the right node id. */
class BootstrapTest extends ServerTest {

    @Autowired
    XdsServer xds;

    @Test
    void envoyBootstrap() throws Exception {
        String mesh = uniqueName("boot");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("web").spec(Fixtures.node("web.local")));
        HttpResponse<String> response = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/web/bootstrap", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode bootstrap = JsonMapper.builder().build().readTree(response.body());
        assertThat(bootstrap.at("/node/id").asString()).isEqualTo("mesh/" + mesh + "/virtualNode/web");
        assertThat(bootstrap.at("/admin/address/socket_address/port_value").asInt()).isEqualTo(9901);
        assertThat(bootstrap.at("/dynamic_resources/ads_config/api_type").asString()).isEqualTo("GRPC");
        assertThat(bootstrap.at("/dynamic_resources/ads_config/grpc_services/0/envoy_grpc/cluster_name").asString())
                .isEqualTo("meshplane-xds");
        JsonNode endpoint = bootstrap.at("/static_resources/clusters/0/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address");
        assertThat(endpoint.get("address").asString()).isEqualTo("localhost");
        assertThat(endpoint.get("port_value").asInt()).isEqualTo(xds.port());
        assertThat(bootstrap.at("/stats_config/stats_tags").toString())
                .contains("appmesh.mesh", mesh, "appmesh.virtual_node", "web");
        // issue 12, example 4: Envoy's RE2 program size limit raised as App Mesh's image raises it, admin layer kept
        assertThat(bootstrap.at("/layered_runtime/layers/0/static_layer/re2.max_program_size.error_level").asInt())
                .isEqualTo(1000);
        assertThat(bootstrap.at("/layered_runtime/layers/1/admin_layer").isObject()).isTrue();

        JsonNode loadStats = bootstrap.at("/cluster_manager/load_stats_config");
        assertThat(loadStats.at("/api_type").asString()).as("load reports over gRPC").isEqualTo("GRPC");
        assertThat(loadStats.at("/transport_api_version").asString()).isEqualTo("V3");
        assertThat(loadStats.at("/grpc_services/0/envoy_grpc/cluster_name").asString()).isEqualTo("meshplane-xds");

        // Envoy's metrics service sink (issue 15): to this server, counters as deltas, mergeable histograms
        JsonNode sink = bootstrap.at("/stats_sinks/0");
        assertThat(sink.at("/name").asString()).isEqualTo("envoy.stat_sinks.metrics_service");
        assertThat(sink.at("/typed_config/@type").asString())
                .isEqualTo("type.googleapis.com/envoy.config.metrics.v3.MetricsServiceConfig");
        assertThat(sink.at("/typed_config/grpc_service/envoy_grpc/cluster_name").asString()).isEqualTo("meshplane-xds");
        assertThat(sink.at("/typed_config/transport_api_version").asString()).isEqualTo("V3");
        assertThat(sink.at("/typed_config/report_counters_as_deltas").asBoolean()).isTrue();
        assertThat(sink.at("/typed_config/histogram_emit_mode").asString()).as("bucket counts, no quantile summary")
                .isEqualTo("HISTOGRAM");
        assertThat(sink.at("/typed_config/emit_tags_as_labels").isMissingNode()).as("names keep the cluster").isTrue();
        var sinkConfig = io.envoyproxy.envoy.config.metrics.v3.MetricsServiceConfig.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().ignoringUnknownFields()
                .merge(sink.get("typed_config").toString().replaceFirst("\"@type\":\"[^\"]*\",?", ""), sinkConfig);
        assertThat(dev.meshplane.snapshot.EnvoyValidator.validate(sinkConfig.build())).as("Envoy's own rules").isEmpty();
        JsonNode kept = bootstrap.at("/stats_config/stats_matcher/inclusion_list/patterns");
        assertThat(kept.at("/0/safe_regex/regex").asString()).isEqualTo("cluster\\.cds_egress_.+\\.upstream_rq_(time|[1-5]xx)");
        java.util.regex.Pattern regex = java.util.regex.Pattern.compile(kept.at("/0/safe_regex/regex").asString());
        assertThat(regex.matcher("cluster.cds_egress_" + mesh + "_api_http_8080.upstream_rq_time").matches()).isTrue();
        assertThat(regex.matcher("cluster.cds_egress_" + mesh + "_api_http_8080.upstream_rq_5xx").matches()).isTrue();
        assertThat(regex.matcher("cluster.cds_egress_" + mesh + "_api_http_8080.upstream_rq_503").matches()).isFalse();
        assertThat(regex.matcher("cluster.cds_ingress_" + mesh + "_web_http_8080.upstream_rq_time").matches()).isFalse();
        assertThat(kept.at("/1/prefix").asString()).isEqualTo("server.");

        HttpResponse<String> withToken = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/web/bootstrap?proxyToken=abc.def", null);
        JsonNode tokened = JsonMapper.builder().build().readTree(withToken.body());
        assertThat(tokened.at("/cluster_manager/load_stats_config/grpc_services/0/initial_metadata/0/value").asString())
                .as("the load reporting stream carries the proxy token as ADS does").isEqualTo("Bearer abc.def");
        assertThat(tokened.at("/stats_sinks/0/typed_config/grpc_service/initial_metadata/0/value").asString())
                .as("and so does the metrics service stream").isEqualTo("Bearer abc.def");
    }

    @Test
    void grpcBootstrapAndErrors() throws Exception {
        String mesh = uniqueName("boot-grpc");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("app").spec(Fixtures.node("app.local")));
        HttpResponse<String> response = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/app/bootstrap?format=grpc", null);
        JsonNode bootstrap = JsonMapper.builder().build().readTree(response.body());
        assertThat(bootstrap.at("/xds_servers/0/server_uri").asString()).isEqualTo("localhost:" + xds.port());
        assertThat(bootstrap.at("/xds_servers/0/server_features/0").asString()).isEqualTo("xds_v3");
        assertThat(bootstrap.at("/node/id").asString()).isEqualTo("mesh/" + mesh + "/virtualNode/app");

        assertThat(send("GET", "/v1/meshes/" + mesh + "/virtualNodes/ghost/bootstrap", null).statusCode()).isEqualTo(404);
        HttpResponse<String> badFormat = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/app/bootstrap?format=xml", null);
        assertThat(badFormat.statusCode()).isEqualTo(400);
        assertThat(badFormat.body()).contains("format: must be envoy or grpc");
    }

    /** A gateway is always an Envoy: a gRPC bootstrap or a virtual node's options for it are refused, not ignored. */
    @Test
    void aGatewayBootstrapRefusesWhatOnlyVirtualNodesTake() throws Exception {
        String mesh = uniqueName("boot-gw");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("gw").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(8443).protocol("http")))));
        String base = "/v1/meshes/" + mesh + "/virtualGateways/gw/bootstrap";
        assertThat(send("GET", base + "?proxyToken=abc.def", null).statusCode()).isEqualTo(200);
        HttpResponse<String> grpc = send("GET", base + "?format=grpc", null);
        assertThat(grpc.statusCode()).isEqualTo(400);
        assertThat(grpc.body()).contains("format: a virtual gateway is an Envoy and takes format=envoy only");
        HttpResponse<String> egress = send("GET", base + "?directEgress=8443", null);
        assertThat(egress.statusCode()).isEqualTo(400);
        assertThat(egress.body()).contains("directEgress: is not a parameter of a virtual gateway's bootstrap");
    }

    /** Issue 12, example 10: the local SDS server's static cluster, as App Mesh's image adds it for APPMESH_SDS_SOCKET_PATH. */
    @Test
    void localSdsSocketForSecretsMeshplaneDoesNotServe() throws Exception {
        String mesh = uniqueName("boot-sds");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("web").spec(Fixtures.node("web.local")));
        appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("gw").spec(s -> s.listeners(l -> l
                .portMapping(p -> p.port(8443).protocol("http")))));
        for (String path : new String[] {"/virtualNodes/web/bootstrap?sdsSocketPath=/run/spire/sockets/agent.sock",
                "/virtualNodes/web/bootstrap?directEgress=8080&sdsSocketPath=/run/spire/sockets/agent.sock",
                "/virtualGateways/gw/bootstrap?sdsSocketPath=/run/spire/sockets/agent.sock"}) {
            HttpResponse<String> response = send("GET", "/v1/meshes/" + mesh + path, null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.Builder parsed = io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.newBuilder();
            com.google.protobuf.util.JsonFormat.parser().usingTypeRegistry(com.google.protobuf.TypeRegistry.newBuilder()
                    .add(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor())
                    .add(io.envoyproxy.envoy.config.metrics.v3.MetricsServiceConfig.getDescriptor()).build())
                    .merge(response.body(), parsed);
            io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap bootstrap = parsed.build();
            assertThat(dev.meshplane.snapshot.EnvoyValidator.validate(bootstrap)).as("Envoy's own rules").isEmpty();
            var sds = bootstrap.getStaticResources().getClustersList().stream()
                    .filter(c -> c.getName().equals("static_cluster_sds_unix_socket")).findFirst().orElseThrow();
            assertThat(sds.getType()).isEqualTo(io.envoyproxy.envoy.config.cluster.v3.Cluster.DiscoveryType.STATIC);
            assertThat(sds.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getPipe()
                    .getPath()).isEqualTo("/run/spire/sockets/agent.sock");
            assertThat(sds.getTypedExtensionProtocolOptionsOrThrow("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
                    .unpack(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.class)
                    .getExplicitHttpConfig().hasHttp2ProtocolOptions()).as("SDS is a gRPC service: HTTP/2").isTrue();
        }
        JsonNode without = JsonMapper.builder().build().readTree(send("GET", "/v1/meshes/" + mesh
                + "/virtualNodes/web/bootstrap", null).body());
        assertThat(without.at("/static_resources/clusters").toString()).doesNotContain("static_cluster_sds_unix_socket");
        HttpResponse<String> grpc = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/web/bootstrap?format=grpc"
                + "&sdsSocketPath=/run/spire/sockets/agent.sock", null);
        assertThat(grpc.statusCode()).isEqualTo(400);
        assertThat(grpc.body()).contains("sdsSocketPath: applies to Envoy bootstraps (format=envoy) only");
        // Envoy refuses a Unix socket path that does not fit sun_path (address_impl.cc), and the bootstrap with it
        String deep = "/run/" + "spire/".repeat(17) + "agent.sock";
        HttpResponse<String> tooLong = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/web/bootstrap?sdsSocketPath="
                + deep, null);
        assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(400);
        assertThat(tooLong.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
        assertThat(tooLong.body()).contains("sdsSocketPath: 117 bytes long; a Unix socket path holds at most 107");
        assertThat(send("GET", "/v1/meshes/" + mesh + "/virtualGateways/gw/bootstrap?sdsSocketPath=" + deep, null)
                .statusCode()).isEqualTo(400);
        String longest = "/" + "s".repeat(106);
        assertThat(send("GET", "/v1/meshes/" + mesh + "/virtualNodes/web/bootstrap?sdsSocketPath=" + longest, null)
                .statusCode()).as("107 bytes fit").isEqualTo(200);
    }

    @Test
    void directEgressListenersForEnvoyWithoutIptables() throws Exception {
        String mesh = uniqueName("boot-direct");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("web").spec(Fixtures.node("web.local")));
        String path = "/v1/meshes/" + mesh + "/virtualNodes/web/bootstrap?directEgress=8080,18080:9090/grpc";
        HttpResponse<String> response = send("GET", path, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.Builder parsed = io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().usingTypeRegistry(com.google.protobuf.TypeRegistry.newBuilder()
                .add(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.getDescriptor())
                .add(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor())
                .add(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor())
                .add(io.envoyproxy.envoy.config.metrics.v3.MetricsServiceConfig.getDescriptor()).build())
                .merge(response.body(), parsed);
        io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap bootstrap = parsed.build();
        assertThat(dev.meshplane.snapshot.EnvoyValidator.validate(bootstrap)).as("Envoy's own rules").isEmpty();
        var listeners = bootstrap.getStaticResources().getListenersList();
        assertThat(listeners).extracting(l -> l.getName()).containsExactly("direct_egress_0.0.0.0_8080", "direct_egress_0.0.0.0_18080");
        assertThat(listeners).extracting(l -> l.getAddress().getSocketAddress().getPortValue()).containsExactly(8080, 18080);
        var hcm = listeners.get(1).getFilterChains(0).getFilters(0).getTypedConfig()
                .unpack(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.class);
        assertThat(hcm.getRds().getRouteConfigName()).as("the egress routes served over ADS").isEqualTo("rds_egress_grpc_9090");
        assertThat(hcm.getRds().getConfigSource().hasAds()).isTrue();
        assertThat(listeners.get(0).getFilterChains(0).getFilters(0).getTypedConfig()
                .unpack(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.class)
                .getRds().getRouteConfigName()).isEqualTo("rds_egress_http_8080");

        for (String bad : java.util.List.of("abc", "0", "70000", "8080/tcp")) {
            HttpResponse<String> refused = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/web/bootstrap?directEgress=" + bad, null);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).contains("directEgress: '" + bad + "'");
        }
        // Envoy refuses a second listener on an address ("has duplicate address", listener_manager_impl.cc)
        for (String[] clash : new String[][] {{"8080,8080", "8080:8080/http", "directEgress entry 8080:8080/http"},
                {"15001", "15001:15001/http", "the sidecar's outbound listener"},
                {"15000:8080", "15000:8080/http", "the sidecar's inbound listener"},
                {"9901:8080/grpc", "9901:8080/grpc", "Envoy's admin interface"}}) {
            HttpResponse<String> refused = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/web/bootstrap?directEgress="
                    + clash[0], null);
            assertThat(refused.statusCode()).as(clash[0]).isEqualTo(400);
            assertThat(refused.body()).contains("directEgress: '" + clash[1] + "' listens on port", "already taken by "
                    + clash[2]);
        }
        HttpResponse<String> withToken = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/web/bootstrap?proxyToken=mpp_abc-123", null);
        JsonNode tokenBootstrap = JsonMapper.builder().build().readTree(withToken.body());
        assertThat(tokenBootstrap.at("/dynamic_resources/ads_config/grpc_services/0/initial_metadata/0/key").asString())
                .isEqualTo("authorization");
        assertThat(tokenBootstrap.at("/dynamic_resources/ads_config/grpc_services/0/initial_metadata/0/value").asString())
                .isEqualTo("Bearer mpp_abc-123");
        assertThat(send("GET", "/v1/meshes/" + mesh + "/virtualNodes/web/bootstrap?proxyToken=a%20b", null).statusCode())
                .isEqualTo(400);
        HttpResponse<String> grpc = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/web/bootstrap?format=grpc&directEgress=8080", null);
        assertThat(grpc.statusCode()).isEqualTo(400);
        assertThat(grpc.body()).contains("directEgress: applies to Envoy bootstraps");

        // development mode, plaintext xDS: gRPC needs no token and no CA, so only 'insecure'
        JsonNode plain = JsonMapper.builder().build().readTree(send("GET", "/v1/meshes/" + mesh
                + "/virtualNodes/web/bootstrap?format=grpc", null).body());
        assertThat(plain.at("/xds_servers/0/channel_creds").toString()).isEqualTo("[{\"type\":\"insecure\"}]");
        JsonNode named = JsonMapper.builder().build().readTree(send("GET", "/v1/meshes/" + mesh
                + "/virtualNodes/web/bootstrap?format=grpc&tokenFile=/run/secrets/token", null).body());
        assertThat(named.at("/xds_servers/0/channel_creds/0/config/token_file").asString()).isEqualTo("/run/secrets/token");
        for (String parameter : new String[] {"tokenFile", "certDir"}) {
            HttpResponse<String> refused = send("GET", "/v1/meshes/" + mesh + "/virtualNodes/web/bootstrap?format=grpc&"
                    + parameter + "=%20", null);
            assertThat(refused.statusCode()).as(parameter).isEqualTo(400);
            assertThat(refused.body()).contains(parameter + ": must be a file path");
        }
    }
}
