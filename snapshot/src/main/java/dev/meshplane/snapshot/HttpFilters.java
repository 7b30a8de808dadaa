package dev.meshplane.snapshot;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.List;

/** HTTP connection managers that take their routes over RDS, with the router filter last (gRPC requires it). */
final class HttpFilters {

    static final String HCM = "envoy.filters.network.http_connection_manager";
    static final String ROUTER = "envoy.filters.http.router";

    private HttpFilters() {
    }

    /**
     * An Envoy's connection manager. The Host's port is stripped before routing ({@code strip_any_host_port}):
     * Envoy matches domains against the Host as sent, so {@code Host: api.example.com:8080} would miss a
     * virtual host for {@code api.example.com} (config_impl.cc allows one wildcard and no port patterns).
     */
    static HttpConnectionManager manager(String statPrefix, String routeConfig, List<AccessLog> accessLogs) {
        return apiManager(statPrefix, routeConfig, accessLogs).toBuilder().setStripAnyHostPort(true).build();
    }

    /** The same with the mesh's tracer ({@link TracingTranslator}), or without one when {@code tracing} is null. */
    static HttpConnectionManager manager(String statPrefix, String routeConfig, List<AccessLog> accessLogs,
            HttpConnectionManager.Tracing tracing) {
        HttpConnectionManager manager = manager(statPrefix, routeConfig, accessLogs);
        return tracing == null ? manager : manager.toBuilder().setTracing(tracing).build();
    }

    /** A gRPC client's connection manager: gRPC matches domains against its target, port included (A28). */
    static HttpConnectionManager apiManager(String statPrefix, String routeConfig, List<AccessLog> accessLogs) {
        return HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setCodecType(HttpConnectionManager.CodecType.AUTO)
                .setRds(Rds.newBuilder().setConfigSource(ClusterTranslator.ads()).setRouteConfigName(routeConfig))
                .addAllAccessLog(accessLogs)
                .addHttpFilters(HttpFilter.newBuilder().setName(ROUTER).setTypedConfig(Any.pack(Router.getDefaultInstance())))
                .build();
    }

    static Filter network(HttpConnectionManager manager) {
        return Filter.newBuilder().setName(HCM).setTypedConfig(Any.pack(manager)).build();
    }
}
