package dev.meshplane.snapshot;

import dev.meshplane.api.security.MtlsMode;
import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.meshplane.api.model.Backend;
import dev.meshplane.api.model.ClientPolicy;
import dev.meshplane.api.model.EgressFilterType;
import dev.meshplane.api.model.Listener;
import dev.meshplane.api.model.ListenerTlsMode;
import dev.meshplane.api.model.PortProtocol;
import dev.meshplane.api.model.VirtualNodeConnectionPool;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.snapshot.ServiceRouting.RouteRule;
import dev.meshplane.snapshot.ServiceRouting.ServicePort;
import dev.meshplane.snapshot.ServiceRouting.Target;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Envoy sidecar of a virtual node, laid out as App Mesh lays it out: traffic redirected to
 * port 15000 reaches the local application through one filter chain per listener port; traffic
 * redirected to 15001 is routed by Host (with or without the port) to the node's backends only,
 * and anything else is dropped or passed through according to the mesh's egress filter.
 */
final class SidecarTranslator {

    private static final String ORIGINAL_DST = "envoy.filters.listener.original_dst";
    private static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
    private static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
    private static final String LOCALHOST = "127.0.0.1";

    private SidecarTranslator() {
    }

    static ProxyResources translate(TranslationMemo memo, String nodeName) {
        MeshView view = memo.view();
        VirtualNodeSpec node = view.virtualNodes().get(nodeName);
        ResourceCollector out = new ResourceCollector();
        if (node == null) {
            return out.build();
        }
        List<AccessLog> accessLogs = AccessLogTranslator.translate(node.logging());
        HttpConnectionManager.Tracing tracing = TracingTranslator.tracing(view, nodeName);
        ingress(memo, nodeName, node, accessLogs, tracing, out);
        egress(memo, node, accessLogs, tracing, out);
        if (tracing != null) {
            Cluster collector = TracingTranslator.collector(view);
            if (collector != null) {
                out.cluster(collector, null);
            }
        }
        return RouteShadowing.noted(memo, out.build());
    }

    private static void ingress(TranslationMemo memo, String nodeName, VirtualNodeSpec node, List<AccessLog> accessLogs,
            HttpConnectionManager.Tracing tracing, ResourceCollector out) {
        MeshView view = memo.view();
        if (node.listeners() == null || node.listeners().isEmpty()) {
            return;
        }
        io.envoyproxy.envoy.config.listener.v3.Listener.Builder listener = baseListener(Names.INGRESS_LISTENER,
                Names.INGRESS_PORT);
        boolean permissive = false;
        for (Listener l : node.listeners()) {
            int port = l.portMapping().port();
            PortProtocol protocol = l.portMapping().protocol();
            String cluster = Names.ingressCluster(view.mesh(), nodeName, protocol.wireValue(), port);
            out.cluster(localCluster(cluster, port, protocol, l.connectionPool()), null);
            boolean meshStrict = l.tls() == null && view.mtls() == MtlsMode.STRICT;
            AuthorizationTranslator.Plan authorization = AuthorizationTranslator.plan(memo, nodeName,
                    protocol == PortProtocol.TCP, meshStrict);
            List<Filter> filters = new ArrayList<>();
            Filter filter;
            if (protocol == PortProtocol.TCP) {
                filters.addAll(AuthorizationTranslator.networkFilters(authorization));
                TcpProxy.Builder tcp = TcpProxy.newBuilder().setStatPrefix("ingress").setCluster(cluster)
                        .addAllAccessLog(accessLogs);
                if (l.timeout() != null && l.timeout().tcp() != null && l.timeout().tcp().idle() != null) {
                    tcp.setIdleTimeout(Durations.of(l.timeout().tcp().idle()));
                }
                filter = Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(Any.pack(tcp.build())).build();
            } else {
                String routes = Names.ingressRoutes(protocol.wireValue(), port);
                RouteAction.Builder action = RouteAction.newBuilder().setCluster(cluster);
                Object timeout = l.timeout() == null ? null : switch (protocol) {
                    case HTTP -> l.timeout().http();
                    case HTTP2 -> l.timeout().http2();
                    case GRPC -> l.timeout().grpc();
                    default -> null;
                };
                TimeoutTranslator.apply(timeout, false, action);
                out.route(RouteConfiguration.newBuilder().setName(routes)
                        .addVirtualHosts(VirtualHost.newBuilder().setName(routes).addDomains("*")
                                .addRoutes(Route.newBuilder().setName("ingress")
                                        .setMatch(RouteMatch.newBuilder().setPrefix("/")).setRoute(action)))
                        .build());
                if (authorization.isEmpty()) {
                    filter = memo.httpManager("ingress", routes, accessLogs, tracing);
                } else {
                    // this node's own authorization filters, ahead of the router
                    List<AccessLog> logs = new ArrayList<>(accessLogs);
                    if (authorization.dryRun()) {
                        logs.add(AuthorizationTranslator.dryRunLog());
                    }
                    // RBAC matches the path as the connection manager holds it: normalized (RFC 3986 dot segments,
                    // repeated slashes), a DENY on /admin also holds for /x/../admin and //admin, and the application is
                    // sent the path the policies saw (Envoy advisory GHSA-xcx5-93pw-jw2w; http_connection_manager.proto)
                    var manager = HttpFilters.manager("ingress", routes, logs, tracing).toBuilder()
                            .setNormalizePath(com.google.protobuf.BoolValue.of(true)).setMergeSlashes(true);
                    var router = manager.getHttpFilters(manager.getHttpFiltersCount() - 1);
                    manager.clearHttpFilters().addAllHttpFilters(AuthorizationTranslator.httpFilters(authorization))
                            .addHttpFilters(router);
                    filter = HttpFilters.network(manager.build());
                }
            }
            filters.add(filter);
            TransportSocket tls;
            boolean acceptsPlaintext;
            if (l.tls() != null) {
                tls = TlsTranslator.downstream(l.tls(), protocol);
                acceptsPlaintext = l.tls().mode() == ListenerTlsMode.PERMISSIVE;
            } else if (memo.view().mtls() != MtlsMode.DISABLED) {
                // the mesh-wide switch, for listeners with no TLS of their own
                tls = TlsTranslator.meshDownstream(protocol);
                acceptsPlaintext = memo.view().mtls() == MtlsMode.PERMISSIVE;
            } else {
                tls = null;
                acceptsPlaintext = true;
            }
            FilterChainMatch.Builder match = FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(port));
            if (tls == null) {
                listener.addFilterChains(FilterChain.newBuilder().setFilterChainMatch(match).addAllFilters(filters));
            } else if (acceptsPlaintext) {
                // TLS and plaintext side by side, told apart by the TLS inspector
                permissive = true;
                listener.addFilterChains(FilterChain.newBuilder().setFilterChainMatch(match.clone().setTransportProtocol("tls"))
                        .setTransportSocket(tls).addAllFilters(filters));
                listener.addFilterChains(FilterChain.newBuilder().setFilterChainMatch(match.setTransportProtocol("raw_buffer"))
                        .addAllFilters(filters));
            } else {
                listener.addFilterChains(FilterChain.newBuilder().setFilterChainMatch(match).setTransportSocket(tls)
                        .addAllFilters(filters));
            }
        }
        if (tracing != null) {
            // Envoy names its spans by the listener's direction, and reads an unspecified one as inbound (http_connection_manager/config.cc)
            listener.setTrafficDirection(TrafficDirection.INBOUND);
        }
        if (permissive) {
            listener.addListenerFilters(ListenerFilter.newBuilder().setName(TLS_INSPECTOR)
                    .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())));
        }
        out.listener(listener.build());
    }

    private static void egress(TranslationMemo memo, VirtualNodeSpec node, List<AccessLog> accessLogs,
            HttpConnectionManager.Tracing tracing, ResourceCollector out) {
        MeshView view = memo.view();
        boolean allowAll = view.spec() != null && view.spec().egressFilter() != null
                && view.spec().egressFilter().type() == EgressFilterType.ALLOW_ALL;
        // port -> (virtual service -> its routing on that port), in a stable order
        Map<Integer, Map<String, ServicePort>> byPort = new TreeMap<>();
        List<TlsVariants.Reach> reaches = new ArrayList<>();
        if (node.backends() != null) {
            for (Backend backend : node.backends()) {
                if (backend.virtualService() == null) {
                    continue;
                }
                String service = backend.virtualService().virtualServiceName();
                ClientPolicy policy = backend.virtualService().clientPolicy() != null
                        ? backend.virtualService().clientPolicy()
                        : node.backendDefaults() == null ? null : node.backendDefaults().clientPolicy();
                for (ServicePort port : memo.service(service)) {
                    byPort.computeIfAbsent(port.port(), p -> new TreeMap<>()).put(service, port);
                    for (RouteRule rule : port.routes()) {
                        for (Target target : rule.targets()) {
                            TransportSocket tls = TlsTranslator.upstream(policy, target.port(), service, target.protocol());
                            if (tls == null && memo.view().mtls() != MtlsMode.DISABLED) {
                                tls = TlsTranslator.meshUpstream(view.mesh(), target.node(), service, target.protocol());
                            }
                            reaches.add(new TlsVariants.Reach(service, target, tls));
                        }
                    }
                }
            }
        }
        Map<String, Map<String, String>> renamed = TlsVariants.names(view.mesh(), reaches);
        for (TlsVariants.Reach reach : reaches) {
            Cluster cluster = memo.cluster(reach.target(), false);
            if (reach.tls() != null) {
                cluster = memo.withTls(cluster, reach.tls());
            }
            String name = renamed.getOrDefault(reach.service(), Map.of()).get(cluster.getName());
            out.cluster(name == null ? cluster : TlsVariants.renamed(cluster, name), memo.endpoints(reach.target()));
        }
        if (byPort.isEmpty() && !allowAll) {
            return;
        }
        io.envoyproxy.envoy.config.listener.v3.Listener.Builder listener = baseListener(Names.EGRESS_LISTENER,
                Names.EGRESS_PORT);
        for (Map.Entry<Integer, Map<String, ServicePort>> entry : byPort.entrySet()) {
            int port = entry.getKey();
            List<String> http = new ArrayList<>();
            List<String> tcp = new ArrayList<>();
            entry.getValue().forEach((service, servicePort) ->
                    (servicePort.protocol() == PortProtocol.TCP ? tcp : http).add(service));
            if (tcp.size() + (http.isEmpty() ? 0 : 1) > 1) {
                // one port, one filter chain: Envoy can tell HTTP services apart by Host, TCP ones not at all
                throw new UnservableConfigurationException("backends " + (http.isEmpty() ? "" : "(HTTP) " + http + " and ")
                        + "(TCP) " + tcp + " of this node share port " + port + ": Envoy cannot tell a TCP backend's"
                        + " connections from another service's on the same port, so one would receive the other's"
                        + " traffic; give each TCP service a port of its own");
            }
            Filter filter;
            if (!http.isEmpty()) {
                String routes = Names.egressRoutes("http", port);
                RouteConfiguration.Builder config = RouteConfiguration.newBuilder().setName(routes);
                entry.getValue().forEach((service, servicePort) -> config.addVirtualHosts(TlsVariants.renamed(
                        memo.virtualHost(service, servicePort, false), renamed.getOrDefault(service, Map.of()))));
                if (allowAll) {
                    config.addVirtualHosts(VirtualHost.newBuilder().setName("allow_all").addDomains("*")
                            .addRoutes(Route.newBuilder().setName("passthrough")
                                    .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                    .setRoute(RouteAction.newBuilder().setCluster(Names.PASSTHROUGH_CLUSTER))));
                }
                out.route(config.build());
                filter = memo.httpManager("egress", routes, accessLogs, tracing);
            } else {
                String service = tcp.get(0);
                RouteShadowing.tcpNotes(service, entry.getValue().get(service)).forEach(out::note);
                filter = tcpProxy(view, entry.getValue().get(service), accessLogs, renamed.getOrDefault(service, Map.of()));
            }
            listener.addFilterChains(FilterChain.newBuilder()
                    .setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(port)))
                    .addFilters(filter));
        }
        if (tracing != null) {
            listener.setTrafficDirection(TrafficDirection.OUTBOUND);
        }
        if (allowAll) {
            out.cluster(Cluster.newBuilder().setName(Names.PASSTHROUGH_CLUSTER)
                    .setType(Cluster.DiscoveryType.ORIGINAL_DST)
                    .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED).build(), null);
            listener.setDefaultFilterChain(FilterChain.newBuilder().setName("passthrough")
                    .addFilters(Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(Any.pack(TcpProxy.newBuilder()
                            .setStatPrefix("egress_passthrough").setCluster(Names.PASSTHROUGH_CLUSTER).build()))));
        }
        out.listener(listener.build());
    }

    private static Filter tcpProxy(MeshView view, ServicePort port, List<AccessLog> accessLogs, Map<String, String> renamed) {
        TcpProxy.Builder tcp = TcpProxy.newBuilder().setStatPrefix("egress").addAllAccessLog(accessLogs);
        RouteRule rule = port.routes().isEmpty() ? null : port.routes().get(0);
        List<Target> live = rule == null ? List.of() : rule.targets().stream().filter(t -> t.weight() > 0).toList();
        if (live.size() == 1) {
            String name = RouteTranslator.cluster(view.mesh(), live.get(0));
            tcp.setCluster(renamed.getOrDefault(name, name));
        } else if (live.size() > 1) {
            TcpProxy.WeightedCluster.Builder weighted = TcpProxy.WeightedCluster.newBuilder();
            live.forEach(t -> {
                String name = RouteTranslator.cluster(view.mesh(), t);
                weighted.addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
                        .setName(renamed.getOrDefault(name, name)).setWeight(t.weight()));
            });
            tcp.setWeightedClusters(weighted);
        } else {
            tcp.setCluster(Names.PASSTHROUGH_CLUSTER);
        }
        if (rule != null && rule.timeout() instanceof dev.meshplane.api.model.TcpTimeout timeout && timeout.idle() != null) {
            tcp.setIdleTimeout(Durations.of(timeout.idle()));
        }
        return Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(Any.pack(tcp.build())).build();
    }

    private static io.envoyproxy.envoy.config.listener.v3.Listener.Builder baseListener(String name, int port) {
        return io.envoyproxy.envoy.config.listener.v3.Listener.newBuilder()
                .setName(name)
                .setAddress(EndpointTranslator.socket("0.0.0.0", port))
                .addListenerFilters(ListenerFilter.newBuilder().setName(ORIGINAL_DST)
                        .setTypedConfig(Any.pack(OriginalDst.getDefaultInstance())));
    }

    /** The local application behind a listener, with the listener's connection pool as circuit breakers. */
    private static Cluster localCluster(String name, int port, PortProtocol protocol, VirtualNodeConnectionPool pool) {
        Cluster.Builder cluster = Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.STATIC)
                .setLoadAssignment(io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.newBuilder()
                        .setClusterName(name)
                        .addEndpoints(io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints.newBuilder()
                                .addLbEndpoints(io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint.newBuilder()
                                        .setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                                                .setAddress(EndpointTranslator.socket(LOCALHOST, port))))));
        if (protocol == PortProtocol.HTTP2 || protocol == PortProtocol.GRPC) {
            cluster.putTypedExtensionProtocolOptions(ClusterTranslator.HTTP_PROTOCOL_OPTIONS, ClusterTranslator.http2());
        }
        if (pool != null) {
            CircuitBreakers.Thresholds.Builder thresholds = CircuitBreakers.Thresholds.newBuilder();
            if (pool.http() != null) {
                thresholds.setMaxConnections(UInt32Value.of(pool.http().maxConnections()));
                if (pool.http().maxPendingRequests() != null) {
                    thresholds.setMaxPendingRequests(UInt32Value.of(pool.http().maxPendingRequests()));
                }
            } else if (pool.http2() != null) {
                thresholds.setMaxRequests(UInt32Value.of(pool.http2().maxRequests()));
            } else if (pool.grpc() != null) {
                thresholds.setMaxRequests(UInt32Value.of(pool.grpc().maxRequests()));
            } else if (pool.tcp() != null) {
                thresholds.setMaxConnections(UInt32Value.of(pool.tcp().maxConnections()));
            }
            cluster.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(thresholds));
        }
        return cluster.build();
    }
}
