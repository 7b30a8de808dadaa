package dev.meshplane.controlplane.bootstrap;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.api.validation.RegexRules;
import dev.meshplane.controlplane.auth.Authenticator;
import dev.meshplane.controlplane.web.ReadsWhileAway;
import dev.meshplane.controlplane.xds.ConfigPublisher;
import dev.meshplane.controlplane.xds.XdsProperties;
import dev.meshplane.controlplane.xds.XdsServer;
import dev.meshplane.persistence.ResourceStore;
import dev.meshplane.snapshot.BuiltInSecrets;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.bootstrap.v3.LayeredRuntime;
import io.envoyproxy.envoy.config.bootstrap.v3.RuntimeLayer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.metrics.v3.StatsConfig;
import io.envoyproxy.envoy.config.metrics.v3.TagSpecifier;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bootstraps for data planes: a complete Envoy bootstrap (admin on 9901, ADS and load reports to this
 * server, the node id, App Mesh's stats tags) or the gRPC xDS bootstrap for proxyless gRPC applications.
 */
@RestController
@RequestMapping("/v1/meshes/{meshName}")
@Tag(name = "Bootstrap", description = "Start-up configuration for Envoy sidecars, gateways and proxyless gRPC")
class BootstrapController {

    static final String XDS_CLUSTER = "meshplane-xds";
    static final int ADMIN_PORT = dev.meshplane.api.validation.SpecRules.ENVOY_ADMIN_PORT;

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
            .usingTypeRegistry(TypeRegistry.newBuilder().add(HttpProtocolOptions.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor())
                    .add(io.envoyproxy.envoy.config.metrics.v3.MetricsServiceConfig.getDescriptor()).build());

    private final ResourceStore store;
    private final XdsServer xds;
    private final XdsProperties properties;
    private final Authenticator authenticator;
    private final ConfigPublisher publisher;
    private final ReadsWhileAway whileAway;

    BootstrapController(ResourceStore store, XdsServer xds, XdsProperties properties, Authenticator authenticator,
            ConfigPublisher publisher, ReadsWhileAway whileAway) {
        this.store = store;
        this.xds = xds;
        this.properties = properties;
        this.authenticator = authenticator;
        this.publisher = publisher;
        this.whileAway = whileAway;
    }

    /**
     * The node or gateway must exist (404 otherwise); while the database is away, in its mesh as this
     * replica last read it, so a proxy starting during an outage gets its bootstrap (503 if not held).
     */
    private void mustExist(ResourceId id) {
        whileAway.<Object>read(() -> store.describe(id), () -> publisher.lastRead(id.mesh())
                .filter(view -> (id.kind() == ResourceKind.VIRTUAL_NODE ? view.virtualNodes() : view.virtualGateways())
                        .containsKey(id.name())).map(Object.class::cast), "the bootstrap of " + id.describe());
    }

    @GetMapping(value = "/virtualNodes/{name}/bootstrap", produces = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "GetVirtualNodeBootstrap", summary = "Bootstrap for a virtual node's sidecar or gRPC app",
            description = "format=envoy (default): an Envoy bootstrap (JSON, which Envoy also reads as YAML) with the"
                    + " admin interface on 9901 and ADS to this server. format=grpc: the gRPC xDS bootstrap"
                    + " (GRPC_XDS_BOOTSTRAP) for a proxyless gRPC client that dials xds:///{virtual service name}.")
    ResponseEntity<String> virtualNode(@PathVariable String meshName, @PathVariable String name,
            @Parameter(description = "envoy or grpc") @RequestParam(defaultValue = "envoy") String format,
            @Parameter(description = "format=envoy: a proxy token (POST .../proxyTokens) that Envoy sends on its xDS"
                    + " stream as 'authorization: Bearer <token>' (needed when authentication is on)")
            @RequestParam(required = false) String proxyToken,
            @Parameter(description = "Meshplane extension, for Envoy where no iptables rule redirects outbound"
                    + " traffic to the egress listener (docker compose, a VM, a laptop): one or more"
                    + " [listenPort:]servicePort[/protocol] entries (protocol http, http2 or grpc; http by default)."
                    + " Each adds a static listener on 0.0.0.0:listenPort (servicePort when omitted) that routes by"
                    + " Host header with the node's egress routes for that port, as served over ADS; callers address"
                    + " the proxy's host on that port with the virtual service's name as Host.")
            @RequestParam(required = false) List<String> directEgress,
            @Parameter(description = "format=grpc: the directory where the application keeps its certificate files"
                    + " (cert.pem, key.pem, ca.pem), for gRPC's file_watcher certificate provider; /var/run/meshplane/certs"
                    + " by default") @RequestParam(required = false) String certDir,
            @Parameter(description = "format=grpc: where the application keeps its proxy token, for the 'meshplane'"
                    + " xDS channel credentials (the meshplane-grpc-credentials jar); named in the bootstrap when"
                    + " authentication is on or when given; " + TOKEN_FILE + " by default")
            @RequestParam(required = false) String tokenFile,
            @Parameter(description = SDS_SOCKET_PATH) @RequestParam(required = false) String sdsSocketPath,
            HttpServletRequest request) throws InvalidProtocolBufferException {
        ResourceId id = ResourceId.of(ResourceKind.VIRTUAL_NODE, meshName, name);
        if (directEgress == null || directEgress.isEmpty()) {
            return bootstrap(id, format, request, certDir, tokenFile, sdsSocketPath);
        }
        if (!format.equals("envoy")) {
            throw ApiException.badRequest("directEgress: applies to Envoy bootstraps (format=envoy) only");
        }
        List<DirectEgress> listeners = directEgress.stream().map(DirectEgress::parse).toList();
        DirectEgress.checkListenPorts(listeners);
        mustExist(id);
        Bootstrap.Builder bootstrap = withLocalSds(withProxyToken(withXdsTls(envoy(id, nodeId(id), host(request),
                xds.port()), host(request)), request.getParameter("proxyToken")), sdsSocketPath).toBuilder();
        listeners.forEach(listener -> bootstrap.getStaticResourcesBuilder().addListeners(listener.toListener()));
        return ResponseEntity.ok(PRINTER.print(bootstrap.build()));
    }

    /** A static listener that serves the node's egress routes to callers that address the proxy directly. */
    record DirectEgress(int listenPort, int servicePort, String protocol) {

        private static final java.util.regex.Pattern SYNTAX =
                java.util.regex.Pattern.compile("(?:(\\d{1,5}):)?(\\d{1,5})(?:/(http|http2|grpc))?");

        static DirectEgress parse(String text) {
            java.util.regex.Matcher m = SYNTAX.matcher(text.strip());
            if (!m.matches()) {
                throw ApiException.badRequest("directEgress: '" + text + "' must be [listenPort:]servicePort[/protocol]"
                        + " with protocol http, http2 or grpc");
            }
            int service = port(m.group(2), text);
            int listen = m.group(1) == null ? service : port(m.group(1), text);
            return new DirectEgress(listen, service, m.group(3) == null ? "http" : m.group(3));
        }

        /**
         * Envoy binds every listener's address when it adds the listener: a listen port given twice, or one
         * of the sidecar's own listeners (served over ADS) or its admin interface, fails with "error adding
         * listener: '...' has duplicate address '...' as existing listener" (listener_manager_impl.cc) or
         * "cannot bind" (Envoy does not start, or refuses the sidecar's listeners). Throws BadRequestException
         * naming the entry.
         */
        static void checkListenPorts(List<DirectEgress> listeners) {
            Map<Integer, String> taken = new HashMap<>(Map.of(ADMIN_PORT, "Envoy's admin interface",
                    dev.meshplane.snapshot.Names.INGRESS_PORT, "the sidecar's inbound listener",
                    dev.meshplane.snapshot.Names.EGRESS_PORT, "the sidecar's outbound listener"));
            for (DirectEgress listener : listeners) {
                String holder = taken.putIfAbsent(listener.listenPort(), "directEgress entry " + listener.text());
                if (holder != null) {
                    throw ApiException.badRequest("directEgress: '" + listener.text() + "' listens on port "
                            + listener.listenPort() + ", already taken by " + holder + "; Envoy refuses two listeners"
                            + " on one address (give a listenPort: listenPort:servicePort)");
                }
            }
        }

        private String text() {
            return listenPort + ":" + servicePort + "/" + protocol;
        }

        private static int port(String digits, String text) {
            int port = Integer.parseInt(digits);
            if (port < 1 || port > 65535) {
                throw ApiException.badRequest("directEgress: '" + text + "': ports are between 1 and 65535");
            }
            return port;
        }

        io.envoyproxy.envoy.config.listener.v3.Listener toListener() {
            String routes = dev.meshplane.snapshot.Names.egressRoutes(protocol, servicePort);
            var hcm = io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.newBuilder()
                    .setStatPrefix("direct_egress_" + listenPort)
                    .setRds(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds.newBuilder()
                            .setRouteConfigName(routes)
                            .setConfigSource(ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
                                    .setResourceApiVersion(ApiVersion.V3)))
                    .addHttpFilters(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter
                            .newBuilder().setName("envoy.filters.http.router").setTypedConfig(Any.pack(
                                    io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDefaultInstance())));
            if (!protocol.equals("http")) {
                hcm.setCodecType(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
                        .HttpConnectionManager.CodecType.HTTP2);
            }
            return io.envoyproxy.envoy.config.listener.v3.Listener.newBuilder()
                    .setName("direct_egress_0.0.0.0_" + listenPort)
                    .setAddress(address("0.0.0.0", listenPort))
                    .addFilterChains(io.envoyproxy.envoy.config.listener.v3.FilterChain.newBuilder()
                            .addFilters(io.envoyproxy.envoy.config.listener.v3.Filter.newBuilder()
                                    .setName("envoy.filters.network.http_connection_manager")
                                    .setTypedConfig(Any.pack(hcm.build()))))
                    .build();
        }
    }

    @GetMapping(value = "/virtualGateways/{name}/bootstrap", produces = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "GetVirtualGatewayBootstrap", summary = "Bootstrap for a virtual gateway's Envoy",
            description = "A virtual gateway is always an Envoy: format=envoy only. Query parameters other than format,"
                    + " proxyToken and sdsSocketPath (directEgress, certDir, tokenFile, which apply to virtual nodes) are"
                    + " a 400 BadRequestException naming them, not ignored.")
    ResponseEntity<String> virtualGateway(@PathVariable String meshName, @PathVariable String name,
            @Parameter(description = "envoy (the only format for a gateway)") @RequestParam(defaultValue = "envoy") String format,
            @Parameter(description = SDS_SOCKET_PATH) @RequestParam(required = false) String sdsSocketPath,
            HttpServletRequest request) throws InvalidProtocolBufferException {
        if (!format.equals("envoy")) {
            throw ApiException.badRequest("format: a virtual gateway is an Envoy and takes format=envoy only, got '"
                    + format + "' (format=grpc is for proxyless clients of a virtual node)");
        }
        for (String parameter : request.getParameterMap().keySet()) {
            if (!GATEWAY_PARAMETERS.contains(parameter)) {
                throw ApiException.badRequest(parameter + ": is not a parameter of a virtual gateway's bootstrap"
                        + " (it takes " + String.join(", ", GATEWAY_PARAMETERS) + ")");
            }
        }
        return bootstrap(ResourceId.of(ResourceKind.VIRTUAL_GATEWAY, meshName, name), format, request, null, null,
                sdsSocketPath);
    }

    private static final List<String> GATEWAY_PARAMETERS = List.of("format", "proxyToken", "sdsSocketPath");

    private static final String SDS_SOCKET_PATH = "format=envoy: the Unix socket of the proxy's own SDS server (a SPIRE"
            + " agent's, for example), for SDS secret names other than Meshplane's built-in ones, as App Mesh's Envoy"
            + " image takes it from APPMESH_SDS_SOCKET_PATH: adds the static cluster " + BuiltInSecrets.LOCAL_SDS_CLUSTER
            + ". At most 107 bytes, as a Unix socket path (Envoy refuses a longer one, and the bootstrap with it)";

    private ResponseEntity<String> bootstrap(ResourceId id, String format, HttpServletRequest request, String certDir,
            String tokenFile, String sdsSocketPath) throws InvalidProtocolBufferException {
        mustExist(id);
        String nodeId = nodeId(id);
        String host = host(request);
        if (sdsSocketPath != null && !format.equals("envoy")) {
            throw ApiException.badRequest("sdsSocketPath: applies to Envoy bootstraps (format=envoy) only; gRPC has no"
                    + " SDS (its certificates come from the certificate provider files)");
        }
        return switch (format) {
            case "envoy" -> ResponseEntity.ok(PRINTER.print(withLocalSds(withProxyToken(withXdsTls(envoy(id, nodeId, host,
                    xds.port()), host), request.getParameter("proxyToken")), sdsSocketPath)));
            case "grpc" -> ResponseEntity.ok(grpc(nodeId, host, xds.port(), properties.tls().enabled()
                    ? properties.tls().proxyCaFile() : null, certDir == null ? CERT_DIR : path("certDir", certDir),
                    tokenFile != null ? path("tokenFile", tokenFile) : authenticator.enabled() ? TOKEN_FILE : null));
            default -> throw ApiException.badRequest("format: must be envoy or grpc, got '" + format + "'");
        };
    }

    private static String nodeId(ResourceId id) {
        return "mesh/" + id.mesh() + "/" + id.kind().arnSegment() + "/" + id.name();
    }

    private String host(HttpServletRequest request) {
        return properties.advertisedHost() != null ? properties.advertisedHost() : request.getServerName();
    }

    static Bootstrap envoy(ResourceId id, String nodeId, String host, int port) {
        ConfigSource ads = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3).build();
        String resourceTag = id.kind() == ResourceKind.VIRTUAL_GATEWAY ? "appmesh.virtual_gateway" : "appmesh.virtual_node";
        return Bootstrap.newBuilder()
                .setNode(Node.newBuilder().setId(nodeId).setCluster(nodeId))
                .setAdmin(Admin.newBuilder().setAddress(address("0.0.0.0", ADMIN_PORT)))
                .setDynamicResources(Bootstrap.DynamicResources.newBuilder()
                        .setAdsConfig(ApiConfigSource.newBuilder()
                                .setApiType(ApiConfigSource.ApiType.GRPC)
                                .setTransportApiVersion(ApiVersion.V3)
                                .setSetNodeOnFirstMessageOnly(true)
                                .addGrpcServices(GrpcService.newBuilder()
                                        .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(XDS_CLUSTER))))
                        .setCdsConfig(ads)
                        .setLdsConfig(ads))
                // Envoy's load reports (cluster_manager_impl.cc starts a LoadStatsReporter on this source) to this server
                .setClusterManager(io.envoyproxy.envoy.config.bootstrap.v3.ClusterManager.newBuilder()
                        .setLoadStatsConfig(ApiConfigSource.newBuilder()
                                .setApiType(ApiConfigSource.ApiType.GRPC)
                                .setTransportApiVersion(ApiVersion.V3)
                                .addGrpcServices(GrpcService.newBuilder()
                                        .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(XDS_CLUSTER)))))
                .setStaticResources(Bootstrap.StaticResources.newBuilder()
                        .addClusters(Cluster.newBuilder()
                                .setName(XDS_CLUSTER)
                                .setType(Cluster.DiscoveryType.STRICT_DNS)
                                .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))
                                .putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                                        Any.pack(HttpProtocolOptions.newBuilder()
                                                .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                                                        .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                                                .build()))
                                .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(XDS_CLUSTER)
                                        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                                                .setEndpoint(Endpoint.newBuilder().setAddress(address(host, port))))))))
                .setStatsConfig(StatsConfig.newBuilder()
                        .addStatsTags(TagSpecifier.newBuilder().setTagName("appmesh.mesh").setFixedValue(id.mesh()))
                        .addStatsTags(TagSpecifier.newBuilder().setTagName(resourceTag).setFixedValue(id.name()))
                        .setStatsMatcher(METRICS_SERVICE_STATS))
                .addStatsSinks(METRICS_SERVICE_SINK)
                .setLayeredRuntime(runtime())
                .build();
    }

    /**
     * The stats Envoy keeps (its {@code stats_matcher} decides which stats exist at all, for every sink and the
     * admin endpoint): the upstream request time and responses per status class of its clusters towards the
     * mesh, which Meshplane reads from the metrics service, and the {@code server.} stats health checks read
     * (such as {@code server.state}). Envoy's metrics service sink has no filter of its own
     * ({@code grpc_metrics_service_impl.h}: it sends every stat that was used); without this a sidecar would
     * send its thousands of stats at every flush.
     */
    private static final io.envoyproxy.envoy.config.metrics.v3.StatsMatcher METRICS_SERVICE_STATS =
            io.envoyproxy.envoy.config.metrics.v3.StatsMatcher.newBuilder()
                    .setInclusionList(io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher.newBuilder()
                            .addPatterns(io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder()
                                    .setSafeRegex(io.envoyproxy.envoy.type.matcher.v3.RegexMatcher.newBuilder()
                                            .setRegex("cluster\\.cds_egress_.+\\.upstream_rq_(time|[1-5]xx)")))
                            .addPatterns(io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder().setPrefix("server.")))
                    .build();

    /**
     * Envoy's metrics service sink towards Meshplane's xDS cluster (EnvoyMetricsService): counters as deltas
     * since the last flush, names with the cluster in them (tags not split off as labels), and histograms as
     * bucket counts only, which merge across proxies and time where quantile summaries do not
     * ({@code envoy.config.metrics.v3.MetricsServiceConfig}).
     */
    private static final io.envoyproxy.envoy.config.metrics.v3.StatsSink METRICS_SERVICE_SINK =
            io.envoyproxy.envoy.config.metrics.v3.StatsSink.newBuilder()
                    .setName("envoy.stat_sinks.metrics_service")
                    .setTypedConfig(Any.pack(io.envoyproxy.envoy.config.metrics.v3.MetricsServiceConfig.newBuilder()
                            .setGrpcService(GrpcService.newBuilder()
                                    .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(XDS_CLUSTER)))
                            .setTransportApiVersion(ApiVersion.V3)
                            .setReportCountersAsDeltas(com.google.protobuf.BoolValue.of(true))
                            .setEmitTagsAsLabels(false)
                            .setHistogramEmitMode(io.envoyproxy.envoy.config.metrics.v3.HistogramEmitMode.HISTOGRAM)
                            .build()))
                    .build();

    /**
     * Envoy refuses a regex whose RE2 program size is over re2.max_program_size.error_level (100 unless
     * raised); App Mesh's Envoy image raises it to 1000 in its static layer, the limit the API applies
     * (RegexRules). The admin layer keeps /runtime_modify working, as without a layered runtime.
     */
    private static LayeredRuntime runtime() {
        Struct staticLayer = Struct.newBuilder().putFields("re2.max_program_size.error_level",
                Value.newBuilder().setNumberValue(RegexRules.MAX_PROGRAM_SIZE).build()).build();
        return LayeredRuntime.newBuilder()
                .addLayers(RuntimeLayer.newBuilder().setName("static_layer_0").setStaticLayer(staticLayer))
                .addLayers(RuntimeLayer.newBuilder().setName("admin_layer").setAdminLayer(RuntimeLayer.AdminLayer.getDefaultInstance()))
                .build();
    }

    /**
     * With {@code sdsSocketPath}, the static cluster through which Envoy asks the proxy's local SDS server (over
     * HTTP/2 on that Unix socket) for every secret name that is not Meshplane's, shaped as App Mesh's Envoy image
     * adds it for {@code APPMESH_SDS_SOCKET_PATH} (amazon-ecs-service-connect-agent, envoy_bootstrap.go,
     * appendSdsSocketCluster). Without it, Envoy cannot load a configuration naming such a secret.
     */
    /**
     * Linux's sockaddr_un.sun_path, NUL included: Envoy refuses a pipe path of this many bytes or more
     * (source/common/network/address_impl.cc, PipeInstance), and with it the whole bootstrap.
     */
    static final int UNIX_SOCKET_PATH_SIZE = 108;

    private static Bootstrap withLocalSds(Bootstrap bootstrap, String socketPath) {
        if (socketPath == null) {
            return bootstrap;
        }
        String path = path("sdsSocketPath", socketPath);
        int bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes >= UNIX_SOCKET_PATH_SIZE) {
            throw ApiException.badRequest("sdsSocketPath: " + bytes + " bytes long; a Unix socket path holds at most "
                    + (UNIX_SOCKET_PATH_SIZE - 1) + " (Envoy: \"exceeds maximum UNIX domain socket path size of "
                    + UNIX_SOCKET_PATH_SIZE + "\"), so Envoy would not load the bootstrap");
        }
        Bootstrap.Builder builder = bootstrap.toBuilder();
        builder.getStaticResourcesBuilder().addClusters(Cluster.newBuilder()
                .setName(BuiltInSecrets.LOCAL_SDS_CLUSTER)
                .setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))
                .putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                        Any.pack(HttpProtocolOptions.newBuilder()
                                .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                                        .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                                .build()))
                .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(BuiltInSecrets.LOCAL_SDS_CLUSTER)
                        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                                .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
                                        .setPipe(io.envoyproxy.envoy.config.core.v3.Pipe.newBuilder().setPath(path))))))));
        return builder.build();
    }

    /**
     * With a proxy token (query parameter {@code proxyToken}), Envoy sends it on its ADS, load
     * reporting and metrics service streams as gRPC metadata ({@code authorization: Bearer <token>}), as authentication requires.
     */
    private static Bootstrap withProxyToken(Bootstrap bootstrap, String token) {
        if (token == null || token.isBlank()) {
            return bootstrap;
        }
        if (!token.matches("[A-Za-z0-9_\\-.]{1,4096}")) {
            throw ApiException.badRequest("proxyToken: is not a Meshplane proxy token");
        }
        var authorization = io.envoyproxy.envoy.config.core.v3.HeaderValue.newBuilder()
                .setKey("authorization").setValue("Bearer " + token).build();
        Bootstrap.Builder builder = bootstrap.toBuilder();
        builder.getDynamicResourcesBuilder().getAdsConfigBuilder().getGrpcServicesBuilder(0).addInitialMetadata(authorization);
        builder.getClusterManagerBuilder().getLoadStatsConfigBuilder().getGrpcServicesBuilder(0).addInitialMetadata(authorization);
        for (var sink : builder.getStatsSinksBuilderList()) {
            if (sink.getName().equals(METRICS_SERVICE_SINK.getName())) {
                try {
                    var config = sink.getTypedConfig().unpack(io.envoyproxy.envoy.config.metrics.v3.MetricsServiceConfig.class)
                            .toBuilder();
                    config.getGrpcServiceBuilder().addInitialMetadata(authorization);
                    sink.setTypedConfig(Any.pack(config.build()));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("the metrics service sink is Meshplane's own", e);
                }
            }
        }
        return builder.build();
    }

    /**
     * With TLS on the xDS port, Envoy's cluster to it originates TLS, trusts the configured CA (the
     * built-in one inline) and accepts only a certificate naming the host it dials: a SAN of type DNS
     * (or IP address) equal to it, what {@code CertificateAuthority.serverIdentity} puts in the
     * server's certificate. Trust alone would accept any certificate the CA ever signed. The host is
     * sent as SNI too, unless it is an IP address (RFC 6066 forbids those).
     */
    private Bootstrap withXdsTls(Bootstrap bootstrap, String host) {
        if (!properties.tls().enabled()) {
            return bootstrap;
        }
        boolean ip = isIpAddress(host);
        var validation = io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext.newBuilder()
                .setTrustedCa(properties.tls().builtIn()
                        // the built-in CA travels inline: nothing to install on the proxy
                        ? io.envoyproxy.envoy.config.core.v3.DataSource.newBuilder().setInlineBytes(
                                com.google.protobuf.ByteString.copyFromUtf8(xds.builtInCaPem()))
                        : io.envoyproxy.envoy.config.core.v3.DataSource.newBuilder().setFilename(properties.tls().proxyCaFile()))
                .addMatchTypedSubjectAltNames(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher.newBuilder()
                        .setSanType(ip ? io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher.SanType.IP_ADDRESS
                                : io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher.SanType.DNS)
                        .setMatcher(io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder().setExact(host)));
        var tls = io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.newBuilder()
                .setCommonTlsContext(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.newBuilder()
                        .setValidationContext(validation));
        if (!ip) {
            tls.setSni(host);
        }
        Bootstrap.Builder builder = bootstrap.toBuilder();
        builder.getStaticResourcesBuilder().getClustersBuilder(0).setTransportSocket(
                io.envoyproxy.envoy.config.core.v3.TransportSocket.newBuilder()
                        .setName("envoy.transport_sockets.tls")
                        .setTypedConfig(Any.pack(tls.build())));
        return builder.build();
    }

    private static boolean isIpAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    /** Where proxyless applications keep the files of their certificate (written from the certificate API). */
    static final String CERT_DIR = "/var/run/meshplane/certs";
    /** Where proxyless applications keep their proxy token. */
    static final String TOKEN_FILE = "/var/run/meshplane/proxy-token";

    private static String path(String parameter, String value) {
        if (value.isBlank() || value.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest(parameter + ": must be a file path");
        }
        return value;
    }

    /**
     * The gRPC xDS bootstrap. Channel credentials come in order of preference; gRPC takes the first
     * type it knows. First {@code meshplane} (the meshplane-grpc-credentials jar) when the stream
     * needs a proxy token or TLS: grpc-java sends no call credentials from its bootstrap, and its
     * {@code tls} type ignores the CA file. Then {@code tls} with the CA file, which grpc-go and
     * grpc-node honour, or {@code insecure}.
     */
    static String grpc(String nodeId, String host, int port, String caFile, String certDir, String tokenFile) {
        List<Map<String, Object>> credentials = new java.util.ArrayList<>();
        if (tokenFile != null || caFile != null) {
            Map<String, Object> config = new java.util.LinkedHashMap<>();
            if (tokenFile != null) {
                config.put("token_file", tokenFile);
            }
            if (caFile != null) {
                config.put("ca_certificate_file", caFile);
            }
            credentials.add(Map.of("type", "meshplane", "config", config));
        }
        credentials.add(caFile == null ? Map.of("type", "insecure")
                : Map.of("type", "tls", "config", Map.of("ca_certificate_file", caFile)));
        Map<String, Object> bootstrap = Map.of(
                // xDS-enabled gRPC servers (A36) ask for their listener by this name
                "server_listener_resource_name_template", "grpc/server?xds.resource.listening_address=%s",
                // mTLS identity and trust from files (A29): see GET .../virtualNodes/{name}/certificate
                "certificate_providers", Map.of("meshplane", Map.of("plugin_name", "file_watcher", "config", Map.of(
                        "certificate_file", certDir + "/cert.pem",
                        "private_key_file", certDir + "/key.pem",
                        "ca_certificate_file", certDir + "/ca.pem",
                        "refresh_interval", "1s"))),
                "xds_servers", List.of(Map.of(
                        "server_uri", host + ":" + port,
                        "channel_creds", credentials,
                        "server_features", List.of("xds_v3"))),
                "node", Map.of("id", nodeId, "locality", Map.of()));
        return JsonMapper.builder().build().writeValueAsString(bootstrap);
    }

    private static Address address(String host, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port)).build();
    }
}
