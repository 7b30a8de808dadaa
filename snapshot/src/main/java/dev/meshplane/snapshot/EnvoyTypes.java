package dev.meshplane.snapshot;

import com.google.protobuf.TypeRegistry;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/** The message types the translators pack into {@code Any}, for printing and validating them. */
public final class EnvoyTypes {

    public static final TypeRegistry REGISTRY = TypeRegistry.newBuilder()
            .add(HttpConnectionManager.getDescriptor())
            .add(Router.getDescriptor())
            .add(TcpProxy.getDescriptor())
            .add(OriginalDst.getDescriptor())
            .add(FileAccessLog.getDescriptor())
            .add(HttpProtocolOptions.getDescriptor())
            .add(TlsInspector.getDescriptor())
            .add(DownstreamTlsContext.getDescriptor())
            .add(UpstreamTlsContext.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret.getDescriptor())
            .add(io.envoyproxy.envoy.config.trace.v3.XRayConfig.getDescriptor())
            .add(io.envoyproxy.envoy.config.trace.v3.ZipkinConfig.getDescriptor())
            .add(io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.getDescriptor())
            .build();

    /** Default instances by type URL, to unpack {@code Any} with the generated parsers. */
    static final java.util.Map<String, com.google.protobuf.Message> BY_TYPE_URL = java.util.stream.Stream.of(
                    HttpConnectionManager.getDefaultInstance(), Router.getDefaultInstance(), TcpProxy.getDefaultInstance(),
                    OriginalDst.getDefaultInstance(), FileAccessLog.getDefaultInstance(),
                    HttpProtocolOptions.getDefaultInstance(), TlsInspector.getDefaultInstance(),
                    DownstreamTlsContext.getDefaultInstance(), UpstreamTlsContext.getDefaultInstance(),
                    io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDefaultInstance(),
                    io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDefaultInstance(),
                    io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.getDefaultInstance(),
                    io.envoyproxy.envoy.config.trace.v3.XRayConfig.getDefaultInstance(),
                    io.envoyproxy.envoy.config.trace.v3.ZipkinConfig.getDefaultInstance(),
                    io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.getDefaultInstance())
            .collect(java.util.stream.Collectors.toMap(
                    m -> "type.googleapis.com/" + m.getDescriptorForType().getFullName(), m -> m));

    private EnvoyTypes() {
    }
}
