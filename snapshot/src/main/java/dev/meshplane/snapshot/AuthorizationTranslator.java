package dev.meshplane.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.security.AuthorizationPolicySpec;
import dev.meshplane.api.security.AuthorizationPolicySpec.Action;
import dev.meshplane.api.security.AuthorizationPolicySpec.HeaderCondition;
import dev.meshplane.api.security.AuthorizationPolicySpec.Operation;
import dev.meshplane.api.security.AuthorizationPolicySpec.Rule;
import dev.meshplane.api.security.AuthorizationPolicySpec.Source;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter;
import io.envoyproxy.envoy.config.accesslog.v3.MetadataFilter;
import io.envoyproxy.envoy.config.accesslog.v3.OrFilter;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Authorization on a virtual node's inbound listener, as Envoy RBAC filters in this order, each of
 * which must let a request through:
 * <ol>
 * <li>with the mesh-wide mTLS switch on STRICT, only the nodes and gateways that list one of the
 * node's virtual services as a backend (or route to it), by the SPIFFE id of their certificate;</li>
 * <li>the DENY policies that target the node;</li>
 * <li>the ALLOW policies that target it, if there are any: a request must match one;</li>
 * <li>dry-run policies as shadow rules: evaluated, counted, and logged to stdout when they would
 * deny, never enforced (for gRPC servers, which have no shadow rules, see {@link #grpcHttpFilters}).</li>
 * </ol>
 * A policy rule is one Envoy policy: any of its sources and its operation. On TCP listeners only
 * sources can be checked: a DENY rule that names an operation applies to the whole connection, an
 * ALLOW rule that names one matches nothing (so TCP errs on the side of refusing).
 */
final class AuthorizationTranslator {

    static final String HTTP_RBAC = "envoy.filters.http.rbac";
    static final String NETWORK_RBAC = "envoy.filters.network.rbac";
    static final String BACKENDS_POLICY = "meshplane-backends";
    static final String DRY_RUN_DENY_PREFIX = "dry_run_deny_";
    static final String DRY_RUN_ALLOW_PREFIX = "dry_run_allow_";
    static final String DRY_RUN_ALLOW_FILTER = "meshplane.rbac.dry_run_allow";
    static final String GRPC_DRY_RUN_DENY_FILTER = "meshplane.rbac.dry_run_deny";
    /** Policy names in gRPC's dry-run filters, which grpc-java logs with each decision. */
    static final String GRPC_WOULD_DENY = "dry-run would deny: ";
    static final String GRPC_DRY_RUN_ALLOWS = "dry-run allows: ";

    private AuthorizationTranslator() {
    }

    /** What authorization a node's inbound listener needs: RBAC configurations, in order, with their roles. */
    record Plan(List<Layer> layers, boolean dryRun) {
        boolean isEmpty() {
            return layers.isEmpty();
        }
    }

    /**
     * One RBAC filter: enforced rules, or shadow rules with a stat prefix, under a name of its own
     * (gRPC refuses two HTTP filters of the same name).
     */
    record Layer(String name, RBAC rules, RBAC shadow, String shadowPrefix) {
    }

    static Plan plan(TranslationMemo memo, String node, boolean tcp, boolean meshStrict) {
        MeshView view = memo.view();
        List<Layer> layers = new ArrayList<>();
        if (meshStrict) {
            Principal.Builder callers = Principal.newBuilder();
            Principal.Set.Builder ids = Principal.Set.newBuilder();
            for (String caller : memo.callers().getOrDefault(node, Set.of())) {
                ids.addIds(authenticated(StringMatcher.newBuilder().setExact(caller)));
            }
            RBAC.Builder backends = RBAC.newBuilder().setAction(RBAC.Action.ALLOW);
            if (ids.getIdsCount() > 0) {
                backends.putPolicies(BACKENDS_POLICY, Policy.newBuilder()
                        .addPermissions(Permission.newBuilder().setAny(true))
                        .addPrincipals(callers.setOrIds(ids)).build());
            }
            layers.add(new Layer("meshplane.rbac.backends", backends.build(), null, null));
        }
        Map<String, AuthorizationPolicySpec> deny = new LinkedHashMap<>();
        Map<String, AuthorizationPolicySpec> allow = new LinkedHashMap<>();
        Map<String, AuthorizationPolicySpec> dryDeny = new LinkedHashMap<>();
        Map<String, AuthorizationPolicySpec> dryAllow = new LinkedHashMap<>();
        new java.util.TreeMap<>(view.authorizationPolicies()).forEach((name, policy) -> {
            if (!targets(policy, node)) {
                return;
            }
            boolean dry = Boolean.TRUE.equals(policy.dryRun());
            (policy.action() == Action.DENY ? (dry ? dryDeny : deny) : (dry ? dryAllow : allow)).put(name, policy);
        });
        if (!deny.isEmpty()) {
            layers.add(new Layer("meshplane.rbac.deny", rbac(view.mesh(), RBAC.Action.DENY, deny, tcp), null, null));
        }
        if (!allow.isEmpty()) {
            layers.add(new Layer("meshplane.rbac.allow", rbac(view.mesh(), RBAC.Action.ALLOW, allow, tcp), null, null));
        }
        if (!dryDeny.isEmpty()) {
            layers.add(new Layer(HTTP_RBAC, null, rbac(view.mesh(), RBAC.Action.DENY, dryDeny, tcp), DRY_RUN_DENY_PREFIX));
        }
        if (!dryAllow.isEmpty()) {
            layers.add(new Layer(DRY_RUN_ALLOW_FILTER, null, rbac(view.mesh(), RBAC.Action.ALLOW, dryAllow, tcp),
                    DRY_RUN_ALLOW_PREFIX));
        }
        return new Plan(layers, !dryDeny.isEmpty() || !dryAllow.isEmpty());
    }

    static List<HttpFilter> httpFilters(Plan plan) {
        List<HttpFilter> filters = new ArrayList<>();
        for (Layer layer : plan.layers()) {
            var config = io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder();
            if (layer.rules() != null) {
                config.setRules(layer.rules());
            }
            if (layer.shadow() != null) {
                config.setShadowRules(layer.shadow()).setShadowRulesStatPrefix(layer.shadowPrefix());
            }
            filters.add(HttpFilter.newBuilder().setName(layer.name()).setTypedConfig(Any.pack(config.build())).build());
        }
        return filters;
    }

    /**
     * The same plan for an xDS-enabled gRPC server. gRPC's RBAC filter has no shadow rules (A41), so
     * each dry-run layer becomes a filter that allows every call and whose policy names say what
     * the layer would have done: one policy per rule, named {@value #GRPC_WOULD_DENY}{@code
     * <policy>/<rule>} (or {@value #GRPC_DRY_RUN_ALLOWS}... for ALLOW policies), then a catch-all
     * whose name starts with {@code ~}. grpc-java takes policies in name order, first match wins,
     * so the catch-all matches only calls no rule matched; it logs each call's decision and
     * matching policy at FINE under {@code io.grpc.xds.RbacFilter}.
     */
    static List<HttpFilter> grpcHttpFilters(Plan plan) {
        List<HttpFilter> filters = new ArrayList<>();
        for (Layer layer : plan.layers()) {
            String name = layer.name();
            RBAC rules = layer.rules();
            if (rules == null) {
                boolean deny = layer.shadow().getAction() == RBAC.Action.DENY;
                name = deny ? GRPC_DRY_RUN_DENY_FILTER : DRY_RUN_ALLOW_FILTER;
                rules = dryRunForGrpc(layer.shadow(), deny);
            }
            // grpc-js anchors an RBAC regex as ^...$ too, so each goes as one group (GrpcClientForms.regexesGrouped)
            filters.add(HttpFilter.newBuilder().setName(name).setTypedConfig(Any.pack(
                    io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder()
                            .setRules(GrpcClientForms.regexesGrouped(rules)).build())).build());
        }
        return filters;
    }

    private static RBAC dryRunForGrpc(RBAC shadow, boolean deny) {
        RBAC.Builder rbac = RBAC.newBuilder().setAction(RBAC.Action.ALLOW);
        Set<String> policies = new TreeSet<>();
        new java.util.TreeMap<>(shadow.getPoliciesMap()).forEach((rule, policy) -> {
            rbac.putPolicies((deny ? GRPC_WOULD_DENY : GRPC_DRY_RUN_ALLOWS) + rule, policy);
            policies.add(rule.substring(0, rule.lastIndexOf('/')));
        });
        String rest = deny ? "~dry-run: no rule would deny" : "~" + GRPC_WOULD_DENY + "no rule of " + String.join(", ", policies) + " allows";
        rbac.putPolicies(rest, Policy.newBuilder().addPermissions(Permission.newBuilder().setAny(true))
                .addPrincipals(Principal.newBuilder().setAny(true)).build());
        return rbac.build();
    }

    static List<Filter> networkFilters(Plan plan) {
        List<Filter> filters = new ArrayList<>();
        for (Layer layer : plan.layers()) {
            var config = io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder().setStatPrefix("ingress_rbac");
            if (layer.rules() != null) {
                config.setRules(layer.rules());
            }
            if (layer.shadow() != null) {
                config.setShadowRules(layer.shadow()).setShadowRulesStatPrefix(layer.shadowPrefix());
            }
            filters.add(Filter.newBuilder().setName(NETWORK_RBAC).setTypedConfig(Any.pack(config.build())).build());
        }
        return filters;
    }

    /** For dry-run policies: a stdout line for each request they would have denied. */
    static AccessLog dryRunLog() {
        OrFilter.Builder wouldDeny = OrFilter.newBuilder();
        // the result is written under the filter's name, with or without the stat prefix: match each
        for (String namespace : List.of(HTTP_RBAC, DRY_RUN_ALLOW_FILTER)) {
            for (String key : List.of("shadow_engine_result", DRY_RUN_DENY_PREFIX + "shadow_engine_result",
                    DRY_RUN_ALLOW_PREFIX + "shadow_engine_result")) {
                wouldDeny.addFilters(AccessLogFilter.newBuilder().setMetadataFilter(MetadataFilter.newBuilder()
                        .setMatcher(MetadataMatcher.newBuilder().setFilter(namespace)
                                .addPath(MetadataMatcher.PathSegment.newBuilder().setKey(key))
                                .setValue(ValueMatcher.newBuilder().setStringMatch(StringMatcher.newBuilder().setExact("denied"))))));
            }
        }
        StdoutAccessLog stdout = StdoutAccessLog.newBuilder().setLogFormat(SubstitutionFormatString.newBuilder()
                .setTextFormatSource(io.envoyproxy.envoy.config.core.v3.DataSource.newBuilder().setInlineString(
                        "[meshplane dry-run] would deny %REQ(:METHOD)% %REQ(:PATH)% from %DOWNSTREAM_PEER_URI_SAN%"
                                + " %DOWNSTREAM_REMOTE_ADDRESS%: %DYNAMIC_METADATA(" + HTTP_RBAC + ")%\n")))
                .build();
        return AccessLog.newBuilder().setName("envoy.access_loggers.stdout")
                .setFilter(AccessLogFilter.newBuilder().setOrFilter(wouldDeny))
                .setTypedConfig(Any.pack(stdout)).build();
    }

    private static boolean targets(AuthorizationPolicySpec policy, String node) {
        List<String> nodes = policy.targets().virtualNodes();
        return nodes.contains("*") || nodes.contains(node);
    }

    /**
     * For every node, the SPIFFE ids of the nodes and gateways that may call it under the STRICT
     * backends gate: nodes that list a service it provides as a backend, gateways that route to one.
     * One pass over the mesh (see {@link TranslationMemo#callers()}).
     */
    static Map<String, Set<String>> callersByNode(TranslationMemo memo) {
        MeshView view = memo.view();
        Map<String, Set<String>> callers = new java.util.HashMap<>();
        view.virtualNodes().forEach((name, spec) -> {
            if (spec.backends() == null) {
                return;
            }
            String caller = BuiltInSecrets.spiffeId(view.mesh(), "virtualNode", name);
            for (var backend : spec.backends()) {
                if (backend.virtualService() != null) {
                    for (String node : providers(memo, backend.virtualService().virtualServiceName())) {
                        callers.computeIfAbsent(node, k -> new TreeSet<>()).add(caller);
                    }
                }
            }
        });
        view.gatewayRoutes().forEach((gateway, routes) -> {
            String caller = BuiltInSecrets.spiffeId(view.mesh(), "virtualGateway", gateway);
            for (GatewayRouteSpec route : routes.values()) {
                String service = targetService(route);
                if (service != null) {
                    for (String node : providers(memo, service)) {
                        callers.computeIfAbsent(node, k -> new TreeSet<>()).add(caller);
                    }
                }
            }
        });
        return callers;
    }

    /** The nodes a service's routes lead to. */
    private static Set<String> providers(TranslationMemo memo, String service) {
        Set<String> nodes = new java.util.HashSet<>();
        for (ServiceRouting.ServicePort port : memo.service(service)) {
            for (ServiceRouting.RouteRule rule : port.routes()) {
                for (ServiceRouting.Target target : rule.targets()) {
                    nodes.add(target.node());
                }
            }
        }
        return nodes;
    }

    private static String targetService(GatewayRouteSpec route) {
        var target = route.httpRoute() != null ? route.httpRoute().action().target()
                : route.http2Route() != null ? route.http2Route().action().target()
                : route.grpcRoute() != null ? route.grpcRoute().action().target() : null;
        return target == null || target.virtualService() == null ? null : target.virtualService().virtualServiceName();
    }

    private static RBAC rbac(String mesh, RBAC.Action action, Map<String, AuthorizationPolicySpec> policies, boolean tcp) {
        RBAC.Builder rbac = RBAC.newBuilder().setAction(action);
        policies.forEach((name, policy) -> {
            for (int i = 0; i < policy.rules().size(); i++) {
                Rule rule = policy.rules().get(i);
                boolean hasOperation = rule.to() != null;
                if (tcp && hasOperation && action == RBAC.Action.ALLOW) {
                    continue; // an ALLOW rule about requests cannot match a TCP connection
                }
                rbac.putPolicies(name + "/" + i, Policy.newBuilder()
                        .addPermissions(tcp || !hasOperation ? Permission.newBuilder().setAny(true).build() : permission(rule.to()))
                        .addPrincipals(principal(mesh, rule.from())).build());
            }
        });
        return rbac.build();
    }

    private static Principal principal(String mesh, Source from) {
        if (from == null) {
            return Principal.newBuilder().setAny(true).build();
        }
        Principal.Set.Builder any = Principal.Set.newBuilder();
        for (String node : nonNull(from.virtualNodes())) {
            any.addIds(authenticated(StringMatcher.newBuilder().setExact(BuiltInSecrets.spiffeId(mesh, "virtualNode", node))));
        }
        for (String gateway : nonNull(from.virtualGateways())) {
            any.addIds(authenticated(StringMatcher.newBuilder().setExact(BuiltInSecrets.spiffeId(mesh, "virtualGateway", gateway))));
        }
        if (Boolean.TRUE.equals(from.anyMeshIdentity())) {
            any.addIds(authenticated(StringMatcher.newBuilder().setPrefix(BuiltInSecrets.meshSpiffePrefix(mesh))));
        }
        for (String block : nonNull(from.ipBlocks())) {
            any.addIds(Principal.newBuilder().setDirectRemoteIp(cidr(block)));
        }
        return any.getIdsCount() == 0 ? Principal.newBuilder().setAny(true).build() : Principal.newBuilder().setOrIds(any).build();
    }

    private static Principal authenticated(StringMatcher.Builder name) {
        return Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder().setPrincipalName(name)).build();
    }

    static CidrRange cidr(String block) {
        int slash = block.indexOf('/');
        String address = slash < 0 ? block : block.substring(0, slash);
        int length = slash < 0 ? (address.contains(":") ? 128 : 32) : Integer.parseInt(block.substring(slash + 1));
        return CidrRange.newBuilder().setAddressPrefix(address).setPrefixLen(UInt32Value.of(length)).build();
    }

    private static Permission permission(Operation to) {
        Permission.Set.Builder all = Permission.Set.newBuilder();
        Permission.Set.Builder paths = Permission.Set.newBuilder();
        for (String path : nonNull(to.paths())) {
            paths.addRules(Permission.newBuilder().setUrlPath(PathMatcher.newBuilder().setPath(StringMatcher.newBuilder().setExact(path))));
        }
        for (String prefix : nonNull(to.prefixes())) {
            paths.addRules(Permission.newBuilder().setUrlPath(PathMatcher.newBuilder().setPath(StringMatcher.newBuilder().setPrefix(prefix))));
        }
        if (paths.getRulesCount() > 0) {
            all.addRules(Permission.newBuilder().setOrRules(paths));
        }
        Permission.Set.Builder methods = Permission.Set.newBuilder();
        for (String method : nonNull(to.methods())) {
            methods.addRules(Permission.newBuilder().setHeader(HeaderMatcher.newBuilder().setName(":method")
                    .setStringMatch(StringMatcher.newBuilder().setExact(method))));
        }
        if (methods.getRulesCount() > 0) {
            all.addRules(Permission.newBuilder().setOrRules(methods));
        }
        for (HeaderCondition header : nonNull(to.headers())) {
            all.addRules(Permission.newBuilder().setHeader(header(header)));
        }
        return all.getRulesCount() == 0 ? Permission.newBuilder().setAny(true).build()
                : Permission.newBuilder().setAndRules(all).build();
    }

    private static HeaderMatcher header(HeaderCondition condition) {
        HeaderMatcher.Builder matcher = HeaderMatcher.newBuilder().setName(condition.name().toLowerCase(java.util.Locale.ROOT));
        if (condition.exact() != null) {
            matcher.setStringMatch(StringMatcher.newBuilder().setExact(condition.exact()));
        } else if (condition.prefix() != null) {
            matcher.setStringMatch(StringMatcher.newBuilder().setPrefix(condition.prefix()));
        } else if (condition.regex() != null) {
            matcher.setStringMatch(StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(condition.regex())));
        } else {
            matcher.setPresentMatch(!Boolean.FALSE.equals(condition.present()));
        }
        return matcher.build();
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
