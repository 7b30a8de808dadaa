package dev.meshplane.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshplane.api.tracing.TracingSpec;
import dev.meshplane.api.validation.TracingRules;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.Tracing;
import io.envoyproxy.envoy.config.trace.v3.XRayConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.v3.Percent;
import java.util.Locale;

/**
 * The mesh's tracing settings as Envoy configuration: the tracer of every HTTP connection manager of a sidecar or
 * gateway ({@code tracing.provider}, with {@code random_sampling}) and, for Zipkin and OpenTelemetry, the collector's
 * cluster. Nothing when tracing is off, so a mesh without tracing costs no work here.
 */
final class TracingTranslator {

    static final String XRAY = "envoy.tracers.xray";
    static final String ZIPKIN = "envoy.tracers.zipkin";
    static final String OPENTELEMETRY = "envoy.tracers.opentelemetry";
    static final String ZIPKIN_CLUSTER = "meshplane_tracing_zipkin";
    static final String OPENTELEMETRY_CLUSTER = "meshplane_tracing_opentelemetry";
    /** What X-Ray shows as the segment's origin; the App Mesh image's value (envoy_bootstrap.go, appendXRayTracing). */
    private static final String XRAY_ORIGIN = "AWS::AppMesh::Proxy";
    /** Characters X-Ray does not take in a segment name (see {@link TracingRules}), replaced in the default name. */
    private static final java.util.regex.Pattern NOT_IN_SEGMENT_NAME =
            java.util.regex.Pattern.compile("[^\\p{L}\\p{N} _.:/%&#=+\\\\@-]");

    private TracingTranslator() {
    }

    /**
     * The connection managers' tracing for one proxy (a virtual node's sidecar or a gateway named {@code proxyName}),
     * or null when the mesh's tracing is off.
     */
    static HttpConnectionManager.Tracing tracing(MeshView view, String proxyName) {
        TracingSpec spec = view.tracing();
        if (spec == null) {
            return null;
        }
        String name = view.mesh() + "/" + proxyName;
        Tracing.Http.Builder provider = Tracing.Http.newBuilder();
        HttpConnectionManager.Tracing.Builder tracing = HttpConnectionManager.Tracing.newBuilder();
        switch (spec.provider()) {
            case XRAY -> {
                // X-Ray samples by its own rule and ignores the connection manager's decision (xray_tracer_impl.cc,
                // Driver::startSpan), so the percentage goes into its sampling rule, not into random_sampling
                provider.setName(XRAY).setTypedConfig(Any.pack(xray(spec, view.mesh(), proxyName, name)));
                return tracing.setProvider(provider).build();
            }
            case ZIPKIN -> provider.setName(ZIPKIN).setTypedConfig(Any.pack(zipkin(spec.zipkin())));
            case OPENTELEMETRY -> provider.setName(OPENTELEMETRY).setTypedConfig(Any.pack(opentelemetry(spec.opentelemetry(), name)));
        }
        tracing.setProvider(provider);
        if (spec.samplingPercent() != null) {
            tracing.setRandomSampling(Percent.newBuilder().setValue(spec.samplingPercent()));
        }
        return tracing.build();
    }

    /** The collector's cluster for Zipkin and OpenTelemetry; null for X-Ray (a UDP daemon address) and with tracing off. */
    static Cluster collector(MeshView view) {
        TracingSpec spec = view.tracing();
        if (spec == null || spec.provider() == TracingSpec.Provider.XRAY) {
            return null;
        }
        boolean otlp = spec.provider() == TracingSpec.Provider.OPENTELEMETRY;
        String name = otlp ? OPENTELEMETRY_CLUSTER : ZIPKIN_CLUSTER;
        TracingRules.Address address = TracingRules.address(otlp ? spec.opentelemetry().collector() : spec.zipkin().collector());
        Cluster.Builder cluster = Cluster.newBuilder().setName(name)
                .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(name)
                        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                                .setEndpoint(Endpoint.newBuilder()
                                        .setAddress(EndpointTranslator.socket(address.host(), address.port()))))));
        if (address.ipLiteral()) {
            cluster.setType(Cluster.DiscoveryType.STATIC);
        } else {
            // every address the name resolves to, as for a node's DNS discovery with responseType ENDPOINTS
            cluster.setType(Cluster.DiscoveryType.STRICT_DNS).setDnsLookupFamily(Cluster.DnsLookupFamily.V4_PREFERRED);
        }
        if (otlp) {
            // OTLP over gRPC needs HTTP/2 to the collector
            cluster.putTypedExtensionProtocolOptions(ClusterTranslator.HTTP_PROTOCOL_OPTIONS, ClusterTranslator.http2());
        }
        return cluster.build();
    }

    private static XRayConfig xray(TracingSpec spec, String mesh, String proxyName, String defaultName) {
        TracingSpec.XRay settings = spec.xray();
        TracingRules.Address daemon = TracingRules.daemon(settings == null ? null : settings.daemonAddress());
        String segment = settings != null && settings.segmentName() != null ? settings.segmentName()
                : segmentName(defaultName);
        XRayConfig.Builder config = XRayConfig.newBuilder()
                .setDaemonEndpoint(SocketAddress.newBuilder().setProtocol(SocketAddress.Protocol.UDP)
                        .setAddress(daemon.host()).setPortValue(daemon.port()))
                .setSegmentName(segment)
                .setSegmentFields(XRayConfig.SegmentFields.newBuilder().setOrigin(XRAY_ORIGIN)
                        .setAws(Struct.newBuilder().putFields("app_mesh", Value.newBuilder().setStructValue(Struct.newBuilder()
                                .putFields("mesh_name", Value.newBuilder().setStringValue(mesh).build())
                                .putFields("virtual_node_name", Value.newBuilder().setStringValue(proxyName).build())).build())));
        if (spec.samplingPercent() != null) {
            // a localized sampling manifest (version 2) whose default rule keeps X-Ray's reservoir of one request a
            // second and samples the given share of the rest, as the App Mesh image writes XRAY_SAMPLING_RATE
            config.setSamplingRuleManifest(DataSource.newBuilder().setInlineString(String.format(Locale.ROOT,
                    "{\"version\":2,\"default\":{\"fixed_target\":1,\"rate\":%s}}",
                    java.math.BigDecimal.valueOf(spec.samplingPercent()).movePointLeft(2).stripTrailingZeros().toPlainString())));
        }
        return config.build();
    }

    private static ZipkinConfig zipkin(TracingSpec.Zipkin settings) {
        TracingRules.Address collector = TracingRules.address(settings.collector());
        return ZipkinConfig.newBuilder()
                .setCollectorCluster(ZIPKIN_CLUSTER)
                .setCollectorEndpoint(settings.path() == null ? TracingRules.DEFAULT_ZIPKIN_PATH : settings.path())
                // 0 is Zipkin's v1 API, which Envoy no longer has (DEPRECATED_AND_UNAVAILABLE_DO_NOT_USE): always say which
                .setCollectorEndpointVersion(settings.version() == TracingSpec.ZipkinVersion.HTTP_PROTO
                        ? ZipkinConfig.CollectorEndpointVersion.HTTP_PROTO : ZipkinConfig.CollectorEndpointVersion.HTTP_JSON)
                // the Host of the collector's requests, which is otherwise the cluster's name (zipkin_tracer_impl.cc)
                .setCollectorHostname(collector.host())
                .build();
    }

    private static OpenTelemetryConfig opentelemetry(TracingSpec.OpenTelemetry settings, String defaultName) {
        return OpenTelemetryConfig.newBuilder()
                .setGrpcService(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder()
                        .setClusterName(OPENTELEMETRY_CLUSTER).setAuthority(settings.collector())))
                .setServiceName(settings.serviceName() != null ? settings.serviceName() : defaultName)
                .build();
    }

    /** The default segment name, {@code <mesh>/<proxy>}, with what X-Ray does not take replaced and cut to its 200. */
    private static String segmentName(String name) {
        String cleaned = NOT_IN_SEGMENT_NAME.matcher(name).replaceAll("_");
        return cleaned.codePointCount(0, cleaned.length()) <= 200 ? cleaned
                : cleaned.substring(0, cleaned.offsetByCodePoints(0, 200));
    }
}
