package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.tracing.TracingSpec;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.trace.v3.Tracing;
import io.envoyproxy.envoy.config.trace.v3.XRayConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mesh's tracing in translation beyond the golden files: who depends on it (sidecars and gateways, not gRPC
 * clients), that a change of it reaches connection managers carried over from the previous view, and the load rules
 * Envoy's tracer factories apply (EnvoyLoadRules), each shown failing on a resource that breaks it.
 */
class TracingTranslationTest {

    private static final ProxyId SIDECAR = new ProxyId("mylearning-prod-mesh", ProxyId.Kind.SIDECAR, "user-service-v1");
    private static final ProxyId CLIENT = new ProxyId("mylearning-prod-mesh", ProxyId.Kind.GRPC_CLIENT, "user-service-v1");
    private static final ProxyId GATEWAY = new ProxyId("mylearning-prod-mesh", ProxyId.Kind.GATEWAY, "mylearning-ingress");

    private static MeshView seed(String tracing) throws Exception {
        var input = (tools.jackson.databind.node.ObjectNode) JsonMapper.builder().build().readTree(
                Files.readString(GoldenTest.IN.resolve("gateway-http-routes-rewrites-hostnames.json")));
        if (tracing != null) {
            input.set("tracing", JsonMapper.builder().build().readTree(tracing));
        }
        return GoldenTest.view(input);
    }

    private static final String ZIPKIN = "{\"provider\":\"zipkin\",\"zipkin\":{\"collector\":\"10.0.9.9:9411\"}}";

    @Test
    void sidecarsAndGatewaysDependOnTracingAndGrpcClientsDoNot() throws Exception {
        MeshView off = seed(null);
        MeshView on = seed(ZIPKIN);
        assertThat(Dependencies.changed(off, on)).containsExactly(Dependencies.TRACING);
        assertThat(Dependencies.changed(on, seed(ZIPKIN))).isEmpty();
        assertThat(Dependencies.of(on, SIDECAR)).contains(Dependencies.TRACING);
        assertThat(Dependencies.of(on, GATEWAY)).contains(Dependencies.TRACING);
        assertThat(Dependencies.of(on, CLIENT)).doesNotContain(Dependencies.TRACING);
        assertThat(MeshTranslator.translate(on, CLIENT)).as("gRPC clients are sent no tracing")
                .isEqualTo(MeshTranslator.translate(off, CLIENT));
    }

    @Test
    void aTracingChangeReachesConnectionManagersCarriedFromTheLastView() throws Exception {
        TranslationMemo before = new TranslationMemo(seed(null));
        ProxyResources untraced = MeshTranslator.translate(before, SIDECAR);
        TranslationMemo after = before.next(seed(ZIPKIN));
        ProxyResources traced = MeshTranslator.translate(after, SIDECAR);
        assertThat(untraced.listeners()).isNotEmpty();
        for (Listener listener : traced.listeners()) {
            for (FilterChain chain : listener.getFilterChainsList()) {
                HttpConnectionManager manager = chain.getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
                assertThat(manager.getTracing().getProvider().getName()).as(listener.getName())
                        .isEqualTo(TracingTranslator.ZIPKIN);
            }
        }
        assertThat(traced.clusters()).anyMatch(c -> c.getName().equals(TracingTranslator.ZIPKIN_CLUSTER));
        assertThat(EnvoyValidator.validate(traced)).isEmpty();
        ProxyResources offAgain = MeshTranslator.translate(after.next(seed(null)), SIDECAR);
        assertThat(offAgain).isEqualTo(untraced);
    }

    @Test
    void aTracersCollectorClusterMustBeAmongTheProxysClusters() throws Exception {
        ProxyResources traced = MeshTranslator.translate(seed(ZIPKIN), SIDECAR);
        assertThat(EnvoyValidator.validateReferences(traced)).isEmpty();
        ProxyResources withoutCollector = new ProxyResources(traced.clusters().stream()
                .filter(c -> !c.getName().equals(TracingTranslator.ZIPKIN_CLUSTER)).toList(), traced.endpoints(),
                traced.listeners(), traced.routes());
        assertThat(EnvoyValidator.validateReferences(withoutCollector)).isNotEmpty()
                .allMatch(v -> v.contains("the tracer's collector cluster 'meshplane_tracing_zipkin' is not among the"
                        + " proxy's clusters"));
        assertThat(EnvoyValidator.validate(withoutCollector)).anyMatch(v -> v.contains("meshplane_tracing_zipkin"));
    }

    @Test
    void tracerConfigurationsEnvoysFactoriesRefuseAreFound() {
        XRayConfig tcpDaemon = XRayConfig.newBuilder().setSegmentName("s").setDaemonEndpoint(SocketAddress.newBuilder()
                .setProtocol(SocketAddress.Protocol.TCP).setAddress("::1").setNamedPort("xray")).build();
        assertThat(EnvoyValidator.validate(listener(Tracing.Http.newBuilder().setName(TracingTranslator.XRAY)
                .setTypedConfig(Any.pack(tcpDaemon)).build()))).anySatisfy(v -> assertThat(v)
                        .contains("daemon_endpoint.protocol: X-Ray daemon endpoint must be a UDP socket address"))
                .anySatisfy(v -> assertThat(v).contains("daemon_endpoint.port_value: X-Ray daemon port must be specified as number"))
                .anySatisfy(v -> assertThat(v).contains("daemon_endpoint.address: '::1' is an IPv6 address, not IPv4"));
        ZipkinConfig v1 = ZipkinConfig.newBuilder().setCollectorCluster("c").setCollectorEndpoint("/api/v1/spans").build();
        assertThat(EnvoyValidator.validate(listener(Tracing.Http.newBuilder().setName(TracingTranslator.ZIPKIN)
                .setTypedConfig(Any.pack(v1)).build())))
                .anyMatch(v -> v.contains("collector_endpoint_version: DEPRECATED_AND_UNAVAILABLE_DO_NOT_USE is not a version"));
        // PGV inside the tracer's typed config is reached too (EnvoyTypes knows the tracer types)
        XRayConfig unnamed = XRayConfig.newBuilder().setDaemonEndpoint(SocketAddress.newBuilder()
                .setProtocol(SocketAddress.Protocol.UDP).setAddress("127.0.0.1").setPortValue(2000)).build();
        assertThat(EnvoyValidator.validate(listener(Tracing.Http.newBuilder().setName(TracingTranslator.XRAY)
                .setTypedConfig(Any.pack(unnamed)).build())))
                .anyMatch(v -> v.contains("segment_name: must be at least 1 characters long"));
        XRayConfig fine = XRayConfig.newBuilder().setSegmentName("s").setDaemonEndpoint(SocketAddress.newBuilder()
                .setProtocol(SocketAddress.Protocol.UDP).setAddress("127.0.0.1").setPortValue(2000)).build();
        assertThat(EnvoyValidator.validate(listener(Tracing.Http.newBuilder().setName(TracingTranslator.XRAY)
                .setTypedConfig(Any.pack(fine)).build()))).isEmpty();
    }

    @Test
    void theDefaultSegmentNameKeepsToWhatXrayTakes() throws Exception {
        String name = "web;v1" + "x".repeat(300);
        MeshView view = seed("{\"provider\":\"xray\"}");
        var tracing = TracingTranslator.tracing(view, name);
        String segment = tracing.getProvider().getTypedConfig().unpack(XRayConfig.class).getSegmentName();
        assertThat(segment).hasSize(200).startsWith("mylearning-prod-mesh/web_v1xxx");
        assertThat(AppMeshJson.mapper().readValue("{\"provider\":\"xray\",\"xray\":{\"segmentName\":\"" + segment + "\"}}",
                TracingSpec.class).xray().segmentName()).isEqualTo(segment);
    }

    private static Listener listener(Tracing.Http provider) {
        HttpConnectionManager manager = HttpFilters.manager("ingress", "r", List.of(),
                HttpConnectionManager.Tracing.newBuilder().setProvider(provider).build());
        return Listener.newBuilder().setName("l").setAddress(EndpointTranslator.socket("0.0.0.0", 15000))
                .addFilterChains(FilterChain.newBuilder().addFilters(HttpFilters.network(manager))).build();
    }
}
