package dev.meshplane.snapshot;

import dev.meshplane.api.security.MtlsMode;
import dev.meshplane.api.model.DefaultGatewayRouteRewrite;
import dev.meshplane.api.model.GatewayRouteHostnameMatch;
import dev.meshplane.api.model.GatewayRouteHostnameRewrite;
import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.GatewayRouteTarget;
import dev.meshplane.api.model.GrpcGatewayRoute;
import dev.meshplane.api.model.GrpcGatewayRouteMetadata;
import dev.meshplane.api.model.GrpcRouteMatch;
import dev.meshplane.api.model.HeaderMatchMethod;
import dev.meshplane.api.model.HttpGatewayRoute;
import dev.meshplane.api.model.HttpGatewayRouteHeader;
import dev.meshplane.api.model.HttpGatewayRouteRewrite;
import dev.meshplane.api.model.HttpRouteMatch;
import dev.meshplane.api.model.VirtualGatewayListener;
import dev.meshplane.api.model.VirtualGatewayPortProtocol;
import dev.meshplane.api.model.VirtualGatewaySpec;
import dev.meshplane.snapshot.ServiceRouting.RouteRule;
import dev.meshplane.snapshot.ServiceRouting.ServicePort;
import dev.meshplane.snapshot.ServiceRouting.Target;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Envoy of a virtual gateway: one listener per port mapping, whose gateway routes (in {@link RouteOrder})
 * send matching requests through the target virtual service's own routing. As App Mesh does by
 * default, the Host is rewritten to the virtual service's name and the matched prefix to {@code /};
 * both can be turned off, and the prefix or the whole path can be rewritten to a value.
 */
final class GatewayTranslator {

    private GatewayTranslator() {
    }

    /** One gateway route as it applies to one listener. */
    private record Applicable(String name, GatewayRouteHostnameMatch hostname, GatewayRouteSpec spec) {
    }

    static ProxyResources translate(TranslationMemo memo, String gatewayName) {
        MeshView view = memo.view();
        VirtualGatewaySpec gateway = view.virtualGateways().get(gatewayName);
        ResourceCollector out = new ResourceCollector();
        if (gateway == null || gateway.listeners() == null) {
            return out.build();
        }
        List<AccessLog> accessLogs = gateway.logging() == null || gateway.logging().accessLog() == null
                || gateway.logging().accessLog().file() == null ? List.of()
                : List.of(AccessLogTranslator.file(new dev.meshplane.api.model.FileAccessLog(
                        gateway.logging().accessLog().file().format(), gateway.logging().accessLog().file().path())));
        Map<String, GatewayRouteSpec> routes = view.gatewayRoutes().getOrDefault(gatewayName, Map.of());
        Map<String, Map<String, String>> renamed = TlsVariants.names(view.mesh(), reaches(memo, routes.values(), gateway));
        var tracing = TracingTranslator.tracing(view, gatewayName);
        if (tracing != null) {
            var collector = TracingTranslator.collector(view);
            if (collector != null) {
                out.cluster(collector, null);
            }
        }
        for (VirtualGatewayListener listener : gateway.listeners()) {
            int port = listener.portMapping().port();
            VirtualGatewayPortProtocol protocol = listener.portMapping().protocol();
            String routeConfig = Names.ingressRoutes(protocol.wireValue(), port);
            List<Applicable> applicable = routes.entrySet().stream()
                    .map(e -> applicable(e.getKey(), e.getValue(), protocol, port))
                    .filter(java.util.Objects::nonNull)
                    .sorted(Comparator.comparing(Applicable::spec, RouteOrder.gatewayRoutes()).thenComparing(Applicable::name))
                    .toList();
            // a route with a host name match goes to each virtual host whose names it matches; one without, to every host
            Map<String, VirtualHost.Builder> hosts = new LinkedHashMap<>();
            applicable.stream().filter(a -> a.hostname() != null)
                    .forEach(a -> hosts.computeIfAbsent(domain(a.hostname()), d -> VirtualHost.newBuilder().setName(d).addDomains(d)));
            hosts.put("*", VirtualHost.newBuilder().setName("*").addDomains("*"));
            for (Applicable route : applicable) {
                List<Route> envoyRoutes = routes(memo, route, gateway, renamed, out);
                hosts.forEach((domain, host) -> {
                    if (route.hostname() == null || covers(route.hostname(), domain)) {
                        host.addAllRoutes(envoyRoutes);
                    }
                });
            }
            RouteConfiguration.Builder config = RouteConfiguration.newBuilder().setName(routeConfig);
            hosts.values().forEach(config::addVirtualHosts);
            out.route(config.build());
            var filter = HttpFilters.network(HttpFilters.manager("ingress", routeConfig, accessLogs, tracing));
            Listener.Builder envoyListener = Listener.newBuilder()
                    .setName(Names.gatewayListener(port))
                    .setAddress(EndpointTranslator.socket("0.0.0.0", port));
            var tls = TlsTranslator.downstream(listener.tls(), protocol);
            if (tls == null) {
                envoyListener.addFilterChains(FilterChain.newBuilder().addFilters(filter));
            } else if (listener.tls().mode() == dev.meshplane.api.model.VirtualGatewayListenerTlsMode.PERMISSIVE) {
                envoyListener.addListenerFilters(io.envoyproxy.envoy.config.listener.v3.ListenerFilter.newBuilder()
                                .setName("envoy.filters.listener.tls_inspector")
                                .setTypedConfig(com.google.protobuf.Any.pack(io.envoyproxy.envoy.extensions.filters.listener
                                        .tls_inspector.v3.TlsInspector.getDefaultInstance())))
                        .addFilterChains(FilterChain.newBuilder().setTransportSocket(tls).addFilters(filter)
                                .setFilterChainMatch(io.envoyproxy.envoy.config.listener.v3.FilterChainMatch.newBuilder()
                                        .setTransportProtocol("tls")))
                        .addFilterChains(FilterChain.newBuilder().addFilters(filter));
            } else {
                envoyListener.addFilterChains(FilterChain.newBuilder().setTransportSocket(tls).addFilters(filter));
            }
            out.listener(envoyListener.build());
            GatewayListenerNotes.of(gatewayName, listener).forEach(out::note);
        }
        return RouteShadowing.noted(memo, out.build());
    }

    private static Applicable applicable(String name, GatewayRouteSpec spec, VirtualGatewayPortProtocol protocol, int port) {
        switch (protocol) {
            case HTTP, HTTP2 -> {
                HttpGatewayRoute route = protocol == VirtualGatewayPortProtocol.HTTP ? spec.httpRoute() : spec.http2Route();
                if (route == null || (route.match().port() != null && route.match().port() != port)) {
                    return null;
                }
                return new Applicable(name, route.match().hostname(), spec);
            }
            default -> {
                GrpcGatewayRoute route = spec.grpcRoute();
                if (route == null || (route.match().port() != null && route.match().port() != port)) {
                    return null;
                }
                return new Applicable(name, route.match().hostname(), spec);
            }
        }
    }

    /**
     * The virtual host domain of a host name match, lower-cased: Envoy matches hosts without regard to case and
     * refuses two virtual hosts whose domains differ only in case (config_impl.cc), so such routes share one.
     */
    private static String domain(GatewayRouteHostnameMatch hostname) {
        return (hostname.exact() != null ? hostname.exact() : "*" + hostname.suffix()).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether every host a virtual host's domain matches is matched by a route's host name. Envoy picks the most
     * specific virtual host alone (an exact name over a wildcard, a longer wildcard over a shorter one), so a route
     * for {@code .example.com} must also be in the virtual host of {@code api.example.com}, or requests for that host
     * which only it matches would find no route there.
     */
    private static boolean covers(GatewayRouteHostnameMatch hostname, String domain) {
        String own = domain(hostname);
        if (hostname.exact() != null || own.equals(domain)) {
            return own.equals(domain);
        }
        String suffix = own.substring(1);
        return domain.startsWith("*") ? domain.substring(1).endsWith(suffix)
                : domain.endsWith(suffix) && domain.length() > suffix.length();
    }

    /** Every target the gateway's routes reach, with the TLS the gateway (or the mesh) uses towards it. */
    private static List<TlsVariants.Reach> reaches(TranslationMemo memo, java.util.Collection<GatewayRouteSpec> specs,
            VirtualGatewaySpec gateway) {
        List<TlsVariants.Reach> reaches = new ArrayList<>();
        for (GatewayRouteSpec spec : specs) {
            GatewayRouteTarget target = target(spec);
            String service = target.virtualService().virtualServiceName();
            memo.service(service).stream().filter(p -> target.port() == null || p.port() == target.port()).findFirst()
                    .ifPresent(port -> port.routes().forEach(rule -> rule.targets().forEach(t ->
                            reaches.add(new TlsVariants.Reach(service, t, tls(memo, gateway, service, t))))));
        }
        return reaches;
    }

    private static GatewayRouteTarget target(GatewayRouteSpec spec) {
        if (spec.grpcRoute() != null) {
            return spec.grpcRoute().action().target();
        }
        return (spec.httpRoute() != null ? spec.httpRoute() : spec.http2Route()).action().target();
    }

    private static io.envoyproxy.envoy.config.core.v3.TransportSocket tls(TranslationMemo memo, VirtualGatewaySpec gateway,
            String service, Target t) {
        var tls = TlsTranslator.upstream(gateway.backendDefaults() == null ? null
                : gateway.backendDefaults().clientPolicy(), t.port(), service, t.protocol());
        if (tls == null && memo.view().mtls() != MtlsMode.DISABLED) {
            tls = TlsTranslator.meshUpstream(memo.view().mesh(), t.node(), service, t.protocol());
        }
        return tls;
    }

    /** The gateway route composed with each route of its target service's port. */
    private static List<Route> routes(TranslationMemo memo, Applicable applicable, VirtualGatewaySpec gateway,
            Map<String, Map<String, String>> renamed, ResourceCollector out) {
        MeshView view = memo.view();
        GatewayRouteSpec spec = applicable.spec();
        GatewayRouteTarget target;
        GatewayRouteHostnameRewrite hostRewrite;
        if (spec.grpcRoute() != null) {
            target = spec.grpcRoute().action().target();
            hostRewrite = spec.grpcRoute().action().rewrite() == null ? null : spec.grpcRoute().action().rewrite().hostname();
        } else {
            HttpGatewayRoute http = spec.httpRoute() != null ? spec.httpRoute() : spec.http2Route();
            target = http.action().target();
            hostRewrite = http.action().rewrite() == null ? null : http.action().rewrite().hostname();
        }
        String service = target.virtualService().virtualServiceName();
        ServicePort port = memo.service(service).stream()
                .filter(p -> target.port() == null || p.port() == target.port())
                .findFirst().orElse(null);
        List<Route> result = new ArrayList<>();
        if (port == null) {
            return result;
        }
        boolean rewriteHost = hostRewrite == null || hostRewrite.defaultTargetHostname() != DefaultGatewayRouteRewrite.DISABLED;
        Map<String, String> names = renamed.getOrDefault(service, Map.of());
        for (RouteRule rule : port.routes()) {
            for (Target t : rule.targets()) {
                var cluster = memo.cluster(t, false);
                var tls = tls(memo, gateway, service, t);
                cluster = tls == null ? cluster : memo.withTls(cluster, tls);
                String name = names.get(cluster.getName());
                out.cluster(name == null ? cluster : TlsVariants.renamed(cluster, name), memo.endpoints(t));
            }
            Route route = TlsVariants.renamed(memo.route(rule, false), names);
            Route composed = spec.grpcRoute() != null ? grpc(applicable.name(), spec.grpcRoute(), rule, route)
                    : http(applicable.name(), spec.httpRoute() != null ? spec.httpRoute() : spec.http2Route(), rule, route);
            if (composed == null) {
                continue;
            }
            if (rewriteHost && composed.hasRoute()) {
                composed = composed.toBuilder().setRoute(composed.getRoute().toBuilder().setHostRewriteLiteral(service)).build();
            }
            result.add(composed);
        }
        return result;
    }

    private static Route http(String name, HttpGatewayRoute gateway, RouteRule rule, Route route) {
        var match = gateway.match();
        RouteMatch ruleMatch = route.getMatch();
        RouteMatch.Builder composed = RouteMatch.newBuilder();
        RouteAction.Builder action = route.hasRoute() ? route.getRoute().toBuilder() : null;
        HttpGatewayRouteRewrite rewrite = gateway.action().rewrite();
        if (match.path() != null) {
            if (match.path().exact() != null) {
                composed.setPath(match.path().exact());
            } else {
                composed.setSafeRegex(RegexMatcher.newBuilder().setRegex(match.path().regex()));
            }
        } else {
            String prefix = match.prefix() == null ? "/" : match.prefix();
            String replacement = prefixReplacement(rewrite, prefix);
            String effective = replacement == null ? prefix : replacement;
            // the target's route sees the path after the rewrite: translate its path match back to the original path
            if (ruleMatch.hasPath()) {
                if (!ruleMatch.getPath().startsWith(effective)) {
                    return null;
                }
                composed.setPath(prefix + ruleMatch.getPath().substring(effective.length()));
            } else if (ruleMatch.hasSafeRegex()) {
                composed.setPrefix(prefix);
            } else {
                String rulePrefix = ruleMatch.getPrefix();
                if (rulePrefix.startsWith(effective)) {
                    composed.setPrefix(prefix + rulePrefix.substring(effective.length()));
                } else if (effective.startsWith(rulePrefix)) {
                    composed.setPrefix(prefix);
                } else {
                    return null;
                }
            }
            if (replacement != null && action != null && !replacement.equals(prefix)) {
                String pattern = "^" + escape(prefix) + (prefix.endsWith("/") || !replacement.endsWith("/") ? "" : "/?");
                action.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
                        .setPattern(RegexMatcher.newBuilder().setRegex(pattern)).setSubstitution(literalSubstitution(replacement)));
            }
        }
        if (rewrite != null && rewrite.path() != null && rewrite.path().exact() != null && action != null) {
            action.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
                    .setPattern(RegexMatcher.newBuilder().setRegex("^.*$"))
                    .setSubstitution(literalSubstitution(rewrite.path().exact())));
        }
        if (match.headers() != null) {
            for (HttpGatewayRouteHeader header : match.headers()) {
                composed.addHeaders(RouteMatchTranslator.header(header.name(), header.match(), Boolean.TRUE.equals(header.invert())));
            }
        }
        if (match.method() != null) {
            composed.addHeaders(RouteMatchTranslator.header(":method",
                    new HeaderMatchMethod(match.method().wireValue(), null, null, null, null), false));
        }
        if (match.queryParameters() != null) {
            RouteMatch withQuery = RouteMatchTranslator.translate(new HttpRouteMatch(null, null, null, null, "/",
                    match.queryParameters(), null));
            composed.addAllQueryParameters(withQuery.getQueryParametersList());
        }
        composed.addAllHeaders(ruleMatch.getHeadersList()).addAllQueryParameters(ruleMatch.getQueryParametersList());
        Route.Builder result = route.toBuilder().setName(name + "/" + rule.name()).setMatch(composed);
        if (action != null) {
            result.setRoute(action);
        }
        return result.build();
    }

    /** A literal for RE2 (Envoy's and gRPC's regex engine). */
    private static String escape(String literal) {
        StringBuilder sb = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** A literal for RE2's rewrite strings (Envoy's regex_rewrite substitution), where '\' starts a group reference. */
    private static String literalSubstitution(String literal) {
        return literal.replace("\\", "\\\\");
    }

    /** What the matched prefix becomes: "/" by default, the given value, or null when the rewrite is off. */
    private static String prefixReplacement(HttpGatewayRouteRewrite rewrite, String prefix) {
        if (rewrite == null || rewrite.prefix() == null) {
            return "/";
        }
        if (rewrite.prefix().value() != null) {
            return rewrite.prefix().value();
        }
        return rewrite.prefix().defaultPrefix() == DefaultGatewayRouteRewrite.DISABLED ? null : "/";
    }

    private static Route grpc(String name, GrpcGatewayRoute gateway, RouteRule rule, Route route) {
        var match = gateway.match();
        String ruleService = rule.match() instanceof GrpcRouteMatch g ? g.serviceName() : null;
        if (match.serviceName() != null && ruleService != null && !match.serviceName().equals(ruleService)) {
            return null;
        }
        RouteMatch.Builder composed = route.getMatch().toBuilder();
        if (ruleService == null && match.serviceName() != null) {
            composed.setPrefix("/" + match.serviceName() + "/");
        }
        if (match.metadata() != null) {
            for (GrpcGatewayRouteMetadata metadata : match.metadata()) {
                HeaderMatchMethod method = metadata.match() == null ? null : new HeaderMatchMethod(metadata.match().exact(),
                        metadata.match().prefix(), metadata.match().range(), metadata.match().regex(), metadata.match().suffix());
                composed.addHeaders(RouteMatchTranslator.header(metadata.name(), method, Boolean.TRUE.equals(metadata.invert())));
            }
        }
        return route.toBuilder().setName(name + "/" + rule.name()).setMatch(composed).build();
    }
}
