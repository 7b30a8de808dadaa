package dev.meshplane.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/**
 * Checks Envoy applies when it loads a resource, beyond its protos' PGV rules: each rule is read from
 * Envoy's C++ (cited per rule) and refuses the whole resource there. A resource in, violations added to
 * a list (each {@code <field path>: <what is wrong>}).
 */
final class EnvoyLoadRules {

    private EnvoyLoadRules() {
    }

    static void check(Message resource, List<String> violations) {
        if (resource instanceof Cluster cluster) {
            cluster(cluster, violations);
        }
    }

    private static void cluster(Cluster cluster, List<String> violations) {
        for (int i = 0; i < cluster.getHealthChecksCount(); i++) {
            HealthCheck check = cluster.getHealthChecks(i);
            // source/common/upstream/health_checker_impl.cc: "cluster must support HTTP/2 for gRPC healthchecking"
            if (check.hasGrpcHealthCheck() && !http2(cluster)) {
                violations.add("Cluster.health_checks[" + i + "].grpc_health_check: the cluster does not use HTTP/2,"
                        + " which Envoy requires for gRPC health checks");
            }
        }
    }

    /** Whether the cluster speaks HTTP/2 upstream (Envoy's ClusterInfo HTTP2 feature). */
    static boolean http2(Cluster cluster) {
        Any options = cluster.getTypedExtensionProtocolOptionsMap().get(ClusterTranslator.HTTP_PROTOCOL_OPTIONS);
        if (options == null) {
            return false;
        }
        try {
            HttpProtocolOptions http = options.unpack(HttpProtocolOptions.class);
            return http.getExplicitHttpConfig().hasHttp2ProtocolOptions()
                    || http.getAutoConfig().hasHttp2ProtocolOptions()
                    || http.getUseDownstreamProtocolConfig().hasHttp2ProtocolOptions();
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }
}
