package dev.meshplane.snapshot;

import com.google.protobuf.Any;
import dev.meshplane.api.model.Backend;
import dev.meshplane.api.model.PortProtocol;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.security.MtlsMode;
import dev.meshplane.snapshot.ServiceRouting.RouteRule;
import dev.meshplane.snapshot.ServiceRouting.ServicePort;
import dev.meshplane.snapshot.ServiceRouting.Target;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;

/**
 * Configuration for a proxyless gRPC client of a virtual node: for each backend virtual service,
 * API listeners named {@code <service>} and {@code <service>:<port>} (what {@code xds:///<service>}
 * asks for), a route configuration per port, and the clusters and endpoints of its targets. A route gRPC
 * clients skip on their own (query parameters) is left out and noted; a route with no target to send to goes to
 * {@link UnavailableCluster} and is noted; anything else they would refuse or silently skip ({@link GrpcClientRules}) is
 * not sent: translation fails with {@link UnservableConfigurationException}.
 * {@code /v1/proxies} shows both.
 */
final class GrpcClientTranslator {

    private GrpcClientTranslator() {
    }

    static ProxyResources translate(TranslationMemo memo, String nodeName) {
        MeshView view = memo.view();
        VirtualNodeSpec node = view.virtualNodes().get(nodeName);
        ResourceCollector out = new ResourceCollector();
        if (node == null) {
            return out.build();
        }
        // gRPC has no SDS (gRFC A29: certificates come from certificate provider plugins), so a secret only a local
        // SDS server holds cannot reach a proxyless client; sending the rest would leave that TLS out silently
        List<String> localSecrets = BuiltInSecrets.secretNames(node).stream().filter(n -> !BuiltInSecrets.builtIn(n)).toList();
        if (!localSecrets.isEmpty()) {
            throw new UnservableConfigurationException("virtual node '" + nodeName + "' names SDS secrets " + localSecrets
                    + " that only its Envoy's local SDS server holds; gRPC clients have no SDS (gRFC A29), so a proxyless"
                    + " client of this node cannot get them");
        }
        servers(memo, nodeName, node, out);
        List<String> notes = new java.util.ArrayList<>();
        if (node.backends() != null) {
            backends(memo, node, out, notes);
        }
        ProxyResources built = out.build();
        ProxyResources resources = new ProxyResources(built.clusters(), built.endpoints(), built.listeners(), built.routes(),
                notes);
        List<String> violations = GrpcClientRules.validate(resources);
        if (!violations.isEmpty()) {
            throw new UnservableConfigurationException("gRPC clients would reject or skip this configuration: "
                    + String.join("; ", violations));
        }
        return RouteShadowing.noted(memo, resources);
    }

    /**
     * gRPC clients skip a route that matches query parameters, and take the rest of its route configuration
     * (grpc-java {@code XdsRouteConfigureResource.parseRouteMatch} returns no route; C-core's
     * {@code xds_route_config.cc}: "Skip routes with query_parameters set"): sending it would change nothing, and
     * withholding the whole configuration for it would leave the client with none. So such a route is left out
     * here, where it is said: each one becomes a note, which {@code /v1/proxies} shows. When that leaves the virtual
     * host no route, or it had none (a virtual router without routes), which C-core 1.51 refuses with the whole route
     * configuration ("No route found in the virtual host."), one catch-all route to {@link UnavailableCluster} stands
     * in: a call matching no route fails with UNAVAILABLE in every client (grpc-java "Could not find xDS route matching RPC", C-core {@code xds_resolver.cc}
     * "No matching route found in xDS route config"), and so does a call on that route.
     */
    private static io.envoyproxy.envoy.config.route.v3.VirtualHost withoutRoutesGrpcSkips(String config,
            io.envoyproxy.envoy.config.route.v3.VirtualHost host, List<String> notes) {
        List<io.envoyproxy.envoy.config.route.v3.Route> served = host.getRoutesList().stream()
                .filter(route -> route.getMatch().getQueryParametersCount() == 0).toList();
        if (!served.isEmpty() && served.size() == host.getRoutesCount()) {
            return host;
        }
        String where = "route configuration " + config + ", virtual host " + host.getName();
        host.getRoutesList().stream().filter(route -> route.getMatch().getQueryParametersCount() > 0)
                .forEach(route -> notes.add(where + ", route " + route.getName() + ": matches query parameters, which"
                        + " gRPC clients skip; left out for them, so their calls go to the next route that matches (gRPC calls"
                        + " carry no query string: match them on a header, gRPC metadata, instead)"));
        if (served.isEmpty()) {
            notes.add(where + (host.getRoutesCount() == 0 ? ": has no route (its virtual router has none)"
                    : ": every route matches query parameters") + "; gRPC clients get one route in its place, whose"
                    + " calls fail with UNAVAILABLE as calls matching no route do (C-core 1.51 refuses a virtual host"
                    + " without routes); add a route to the virtual router, or one without query parameters");
            served = List.of(io.envoyproxy.envoy.config.route.v3.Route.newBuilder().setName(UnavailableCluster.NAME)
                    .setMatch(io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder().setPrefix("/"))
                    .setRoute(io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder().setCluster(UnavailableCluster.NAME))
                    .build());
        }
        return host.toBuilder().clearRoutes().addAllRoutes(served).build();
    }

    private static void backends(TranslationMemo memo, VirtualNodeSpec node, ResourceCollector out, List<String> notes) {
        MeshView view = memo.view();
        boolean mtls = view.mtls() != MtlsMode.DISABLED;
        for (Backend backend : node.backends()) {
            if (backend.virtualService() == null) {
                continue;
            }
            String service = backend.virtualService().virtualServiceName();
            List<ServicePort> ports = memo.service(service);
            boolean first = true;
            for (ServicePort port : ports) {
                if (port.protocol() == PortProtocol.TCP) {
                    continue;
                }
                String name = service + ":" + port.port();
                for (RouteRule rule : port.routes()) {
                    for (Target target : rule.targets()) {
                        io.envoyproxy.envoy.config.cluster.v3.Cluster cluster = memo.cluster(target, true);
                        if (mtls) {
                            cluster = memo.withTls(cluster, upstreamTls(view.mesh(), target.node()));
                        }
                        out.cluster(cluster, memo.endpoints(target));
                    }
                }
                io.envoyproxy.envoy.config.route.v3.VirtualHost routed = memo.virtualHost(service, port, true);
                unavailableRoutes(name, routed, notes);
                io.envoyproxy.envoy.config.route.v3.VirtualHost host = withoutRoutesGrpcSkips(name, routed, notes);
                if (host.getRoutesList().stream().anyMatch(r -> r.getRoute().getCluster().equals(UnavailableCluster.NAME))) {
                    out.cluster(UnavailableCluster.CLUSTER, UnavailableCluster.ENDPOINTS);
                }
                out.route(RouteConfiguration.newBuilder().setName(name).addVirtualHosts(host).build());
                out.listener(apiListener(name, name));
                if (first) {
                    out.listener(apiListener(service, name));
                    first = false;
                }
            }
        }
    }

    /**
     * A route with no target to send to goes to {@link UnavailableCluster} (see {@link RouteTranslator}): a note says
     * which route answers UNAVAILABLE, where Envoy answers 503 (unless gRPC clients skip the route anyway).
     */
    private static void unavailableRoutes(String config, io.envoyproxy.envoy.config.route.v3.VirtualHost host,
            List<String> notes) {
        for (io.envoyproxy.envoy.config.route.v3.Route route : host.getRoutesList()) {
            if (route.getRoute().getCluster().equals(UnavailableCluster.NAME) && route.getMatch().getQueryParametersCount() == 0) {
                notes.add("route configuration " + config + ", virtual host " + host.getName() + ", route "
                        + route.getName() + ": every target weighs 0 or is a virtual node without a listener; gRPC"
                        + " clients' calls matching it fail with UNAVAILABLE (Envoy answers them 503); give a target a weight"
                        + " above 0 on a virtual node with a listener");
            }
        }
    }

    /** The certificate provider instance proxyless gRPC applications name in their bootstrap (file_watcher). */
    static final String PROVIDER = "meshplane";

    /** The listener resource names an xDS-enabled gRPC server asks for, per listening address. */
    static List<String> serverListenerNames(int port) {
        return List.of("grpc/server?xds.resource.listening_address=0.0.0.0:" + port,
                "grpc/server?xds.resource.listening_address=[::]:" + port);
    }

    /**
     * For an xDS-enabled gRPC server of this node (grpc-java's XdsServerBuilder, A36): a listener per
     * port of the node, with mTLS from the certificate provider when the mesh switch is STRICT, and
     * the node's authorization as RBAC (dry-run policies as filters that allow every call and name the
     * rule that would have denied it: gRPC has no shadow rules).
     */
    private static void servers(TranslationMemo memo, String nodeName, VirtualNodeSpec node, ResourceCollector out) {
        if (node.listeners() == null) {
            return;
        }
        MeshView view = memo.view();
        for (dev.meshplane.api.model.Listener l : node.listeners()) {
            PortProtocol protocol = l.portMapping().protocol();
            if (protocol == PortProtocol.TCP) {
                continue;
            }
            int port = l.portMapping().port();
            boolean strict = view.mtls() == MtlsMode.STRICT && l.tls() == null;
            AuthorizationTranslator.Plan plan = AuthorizationTranslator.plan(memo, nodeName, false, strict);
            var manager = io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                    .newBuilder().setStatPrefix("grpc_server_" + port)
                    .setRouteConfig(RouteConfiguration.newBuilder().setName("inbound_" + port)
                            .addVirtualHosts(io.envoyproxy.envoy.config.route.v3.VirtualHost.newBuilder().setName("inbound")
                                    .addDomains("*").addRoutes(io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
                                            .setMatch(io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder().setPrefix("/"))
                                            .setNonForwardingAction(io.envoyproxy.envoy.config.route.v3.NonForwardingAction.getDefaultInstance()))))
                    .addAllHttpFilters(AuthorizationTranslator.grpcHttpFilters(plan))
                    .addHttpFilters(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter.newBuilder()
                            .setName(HttpFilters.ROUTER).setTypedConfig(Any.pack(
                                    io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDefaultInstance())));
            io.envoyproxy.envoy.config.listener.v3.FilterChain.Builder chain = io.envoyproxy.envoy.config.listener.v3.FilterChain
                    .newBuilder().setName("inbound_" + port).addFilters(HttpFilters.network(manager.build()));
            if (strict) {
                chain.setTransportSocket(downstreamTls());
            }
            for (String name : serverListenerNames(port)) {
                String host = name.contains("[::]") ? "::" : "0.0.0.0";
                out.listener(Listener.newBuilder().setName(name)
                        .setAddress(io.envoyproxy.envoy.config.core.v3.Address.newBuilder().setSocketAddress(
                                io.envoyproxy.envoy.config.core.v3.SocketAddress.newBuilder().setAddress(host).setPortValue(port)))
                        .addFilterChains(chain).build());
            }
        }
    }

    private static io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.Builder providerTls() {
        return io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.newBuilder()
                .setTlsCertificateProviderInstance(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3
                        .CertificateProviderPluginInstance.newBuilder().setInstanceName(PROVIDER).setCertificateName("identity"));
    }

    private static io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext.Builder trust() {
        return io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext.newBuilder()
                .setCaCertificateProviderInstance(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3
                        .CertificateProviderPluginInstance.newBuilder().setInstanceName(PROVIDER).setCertificateName("trust"));
    }

    private static io.envoyproxy.envoy.config.core.v3.TransportSocket downstreamTls() {
        return io.envoyproxy.envoy.config.core.v3.TransportSocket.newBuilder().setName(TlsTranslator.TLS_SOCKET)
                .setTypedConfig(Any.pack(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.newBuilder()
                        .setCommonTlsContext(providerTls().setValidationContext(trust()))
                        .setRequireClientCertificate(com.google.protobuf.BoolValue.of(true)).build()))
                .build();
    }

    @SuppressWarnings("deprecation")
    private static io.envoyproxy.envoy.config.core.v3.TransportSocket upstreamTls(String mesh, String target) {
        return io.envoyproxy.envoy.config.core.v3.TransportSocket.newBuilder().setName(TlsTranslator.TLS_SOCKET)
                .setTypedConfig(Any.pack(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.newBuilder()
                        .setCommonTlsContext(providerTls().setValidationContext(trust()
                                // gRPC checks match_subject_alt_names (A29) against the server's SANs
                                .addMatchSubjectAltNames(io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder()
                                        .setExact(BuiltInSecrets.spiffeId(mesh, "virtualNode", target)))))
                        .build()))
                .build();
    }

    private static Listener apiListener(String name, String routeConfig) {
        return Listener.newBuilder().setName(name)
                .setApiListener(ApiListener.newBuilder()
                        .setApiListener(Any.pack(HttpFilters.apiManager(name, routeConfig, List.of()))))
                .build();
    }
}
