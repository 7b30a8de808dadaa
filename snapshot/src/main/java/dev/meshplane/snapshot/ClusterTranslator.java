package dev.meshplane.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.meshplane.api.model.DnsResponseType;
import dev.meshplane.api.model.DnsServiceDiscovery;
import dev.meshplane.api.model.HealthCheckPolicy;
import dev.meshplane.api.model.IpPreference;
import dev.meshplane.api.model.Listener;
import dev.meshplane.api.model.OutlierDetection;
import dev.meshplane.api.model.PortProtocol;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.snapshot.ServiceRouting.Target;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/**
 * The cluster a caller uses to reach one listener of a virtual node: EDS from the registry for
 * Cloud Map discovery, DNS otherwise; with the target listener's outlier detection and (for Envoy)
 * its health check as active health checking, and HTTP/2 towards http2 and grpc listeners.
 */
final class ClusterTranslator {

    static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    private ClusterTranslator() {
    }

    static ConfigSource ads() {
        return ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3)
                .build();
    }

    static Cluster egress(MeshView view, Target target, boolean proxyless) {
        String name = RouteTranslator.cluster(view.mesh(), target);
        VirtualNodeSpec node = view.virtualNodes().get(target.node());
        Cluster.Builder cluster = Cluster.newBuilder().setName(name).setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
        DnsServiceDiscovery dns = node == null || node.serviceDiscovery() == null ? null : node.serviceDiscovery().dns();
        if (dns != null) {
            // gRPC clients refuse STRICT_DNS (grpc-java XdsClusterResource, C-core xds_cluster.cc): LOGICAL_DNS for them
            cluster.setType(dns.responseType() == DnsResponseType.ENDPOINTS && !proxyless
                            ? Cluster.DiscoveryType.STRICT_DNS : Cluster.DiscoveryType.LOGICAL_DNS)
                    .setDnsLookupFamily(lookupFamily(dns.ipPreference() != null ? dns.ipPreference()
                            : meshIpPreference(view)))
                    .setLoadAssignment(EndpointTranslator.dns(name, dns.hostname(), target.port(),
                            healthCheckPort(ServiceRouting.listenerOf(node, target.port(), target.protocol()))));
        } else {
            cluster.setType(Cluster.DiscoveryType.EDS)
                    .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads()));
        }
        Listener listener = ServiceRouting.listenerOf(node, target.port(), target.protocol());
        if (listener != null && listener.outlierDetection() != null) {
            cluster.setOutlierDetection(outlierDetection(listener.outlierDetection(), proxyless));
        }
        if (proxyless) {
            // gRFC A27: gRPC clients report this cluster's load over LRS to the server they take xDS from
            cluster.setLrsServer(self());
        } else {
            if (listener != null && listener.healthCheck() != null) {
                cluster.addHealthChecks(healthCheck(listener.healthCheck()));
            }
            if (target.protocol() == PortProtocol.HTTP2 || target.protocol() == PortProtocol.GRPC) {
                cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, http2());
            }
        }
        return cluster.build();
    }

    /** The config source {@code self}: the management server the resource came from (gRPC's only LRS server). */
    static ConfigSource self() {
        return ConfigSource.newBuilder().setSelf(io.envoyproxy.envoy.config.core.v3.SelfConfigSource.getDefaultInstance())
                .build();
    }

    static IpPreference meshIpPreference(MeshView view) {
        return view.spec() == null || view.spec().serviceDiscovery() == null
                ? null : view.spec().serviceDiscovery().ipPreference();
    }

    static Any http2() {
        return Any.pack(HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                        .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                .build());
    }

    private static Cluster.DnsLookupFamily lookupFamily(IpPreference preference) {
        if (preference == null) {
            return Cluster.DnsLookupFamily.V4_PREFERRED;
        }
        return switch (preference) {
            case IPV4_ONLY -> Cluster.DnsLookupFamily.V4_ONLY;
            case IPV6_ONLY -> Cluster.DnsLookupFamily.V6_ONLY;
            case IPV6_PREFERRED -> Cluster.DnsLookupFamily.AUTO;
            case IPV4_PREFERRED -> Cluster.DnsLookupFamily.V4_PREFERRED;
        };
    }

    /**
     * App Mesh's outlier detection. Envoy grows an ejection by base_ejection_time on each repeat, up to max_ejection_time,
     * 300 s unless set, and refuses the cluster when that is below base_ejection_time (upstream/outlier_detection_impl.cc:
     * "outlier detector's max_ejection_time cannot be smaller than base_ejection_time"): a baseEjectionDuration over
     * 300 s gets it as its max_ejection_time too, so each ejection lasts what App Mesh's user asked for. For gRPC
     * clients ({@code proxyless}) the interval and base are capped at what grpc-js and grpc-java can hold.
     */
    private static io.envoyproxy.envoy.config.cluster.v3.OutlierDetection outlierDetection(OutlierDetection od,
            boolean proxyless) {
        com.google.protobuf.Duration interval = Durations.of(od.interval());
        com.google.protobuf.Duration baseEjection = Durations.of(od.baseEjectionDuration());
        if (proxyless) {
            // what grpc-js and grpc-java can hold (GrpcClientForms): longer ones made a 1 ms sweep or a NACKed cluster
            interval = GrpcClientForms.atMost(interval, GrpcClientForms.GRPC_JS_LONGEST_INTERVAL);
            baseEjection = GrpcClientForms.atMost(baseEjection, GrpcClientForms.GRPC_JAVA_LONGEST);
        }
        var detection = io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
                .setConsecutive5Xx(UInt32Value.of((int) Math.min(od.maxServerErrors(), Integer.MAX_VALUE)))
                .setInterval(interval)
                .setBaseEjectionTime(baseEjection)
                .setMaxEjectionPercent(UInt32Value.of(od.maxEjectionPercent()));
        if (Durations.millis(baseEjection) > Durations.ENVOY_MAX_EJECTION_TIME_MS) {
            detection.setMaxEjectionTime(baseEjection);
        }
        return detection.build();
    }

    private static HealthCheck healthCheck(HealthCheckPolicy policy) {
        HealthCheck.Builder check = HealthCheck.newBuilder()
                .setTimeout(Durations.ofMillis(policy.timeoutMillis()))
                .setInterval(Durations.ofMillis(policy.intervalMillis()))
                .setHealthyThreshold(UInt32Value.of(policy.healthyThreshold()))
                .setUnhealthyThreshold(UInt32Value.of(policy.unhealthyThreshold()));
        switch (policy.protocol()) {
            case HTTP -> check.setHttpHealthCheck(HealthCheck.HttpHealthCheck.newBuilder()
                    .setPath(policy.path() == null ? "/" : policy.path()));
            // Envoy probes over HTTP/1.1 unless told otherwise, whatever the cluster speaks
            case HTTP2 -> check.setHttpHealthCheck(HealthCheck.HttpHealthCheck.newBuilder()
                    .setPath(policy.path() == null ? "/" : policy.path())
                    .setCodecClientType(io.envoyproxy.envoy.type.v3.CodecClientType.HTTP2));
            case GRPC -> check.setGrpcHealthCheck(HealthCheck.GrpcHealthCheck.getDefaultInstance());
            default -> check.setTcpHealthCheck(HealthCheck.TcpHealthCheck.getDefaultInstance());
        }
        return check.build();
    }

    /** Endpoints of an EDS cluster, or null for DNS clusters (their endpoints are inline). */
    static ClusterLoadAssignment endpoints(MeshView view, Target target) {
        VirtualNodeSpec node = view.virtualNodes().get(target.node());
        if (node != null && node.serviceDiscovery() != null && node.serviceDiscovery().dns() != null) {
            return null;
        }
        return EndpointTranslator.registry(view, RouteTranslator.cluster(view.mesh(), target), node, target.port(),
                healthCheckPort(ServiceRouting.listenerOf(node, target.port(), target.protocol())));
    }

    /** The listener health check's own port, or null to probe the traffic port. */
    private static Integer healthCheckPort(Listener listener) {
        return listener == null || listener.healthCheck() == null ? null : listener.healthCheck().port();
    }
}
