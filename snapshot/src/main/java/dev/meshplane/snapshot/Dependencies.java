package dev.meshplane.snapshot;

import dev.meshplane.api.model.Backend;
import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualServiceSpec;
import dev.meshplane.api.model.WeightedTarget;
import dev.meshplane.snapshot.ServiceRouting.RouteRule;
import dev.meshplane.snapshot.ServiceRouting.ServicePort;
import dev.meshplane.snapshot.ServiceRouting.Target;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a proxy's configuration is made of: the resources and registry services translation reads
 * for it, as keys such as {@code node:web} or {@code registry:ns/svc}. When a mesh changes, only the
 * proxies whose inputs include a changed key need translating again. A virtual node's inbound
 * authorization adds {@code authz:<node>} (and {@code authz:*}) for the policies that target it and,
 * with mTLS STRICT, {@code callers:<node>} for the nodes and gateways that may call it. Sidecars and gateways also
 * depend on {@code tracing}, the mesh's tracing settings; gRPC clients are sent no tracing and do not.
 */
public final class Dependencies {

    public static final String MESH = "mesh";
    static final String AUTHZ = "authz:";
    static final String CALLERS = "callers:";
    static final String TRACING = "tracing";

    private Dependencies() {
    }

    /** The keys one proxy's configuration depends on. */
    public static Set<String> of(MeshView view, ProxyId proxy) {
        return of(new TranslationMemo(view), proxy);
    }

    /** The same, resolving services through a memo shared with translation. */
    public static Set<String> of(TranslationMemo memo, ProxyId proxy) {
        MeshView view = memo.view();
        Set<String> keys = new HashSet<>();
        keys.add(MESH);
        if (proxy.kind() != ProxyId.Kind.GRPC_CLIENT) {
            keys.add(TRACING);
        }
        if (proxy.kind() == ProxyId.Kind.GATEWAY) {
            keys.add(ownKey(proxy));
            for (Map.Entry<String, GatewayRouteSpec> route : view.gatewayRoutes().getOrDefault(proxy.name(), Map.of()).entrySet()) {
                keys.add("gatewayRoute:" + pair(proxy.name(), route.getKey()));
                GatewayRouteSpec spec = route.getValue();
                var target = spec.grpcRoute() != null ? spec.grpcRoute().action().target()
                        : spec.httpRoute() != null ? spec.httpRoute().action().target() : spec.http2Route().action().target();
                service(memo, target.virtualService().virtualServiceName(), keys);
            }
            return keys;
        }
        keys.add(ownKey(proxy));
        keys.add(AUTHZ + proxy.name());
        keys.add(AUTHZ + "*");
        if (view.mtls() == dev.meshplane.api.security.MtlsMode.STRICT) {
            keys.add(CALLERS + proxy.name());
        }
        VirtualNodeSpec node = view.virtualNodes().get(proxy.name());
        if (node != null && node.backends() != null) {
            for (Backend backend : node.backends()) {
                if (backend.virtualService() != null) {
                    service(memo, backend.virtualService().virtualServiceName(), keys);
                }
            }
        }
        return keys;
    }

    /** The key of the proxy's own virtual node or gateway ({@code node:<name>} or {@code gateway:<name>}). */
    public static String ownKey(ProxyId proxy) {
        return (proxy.kind() == ProxyId.Kind.GATEWAY ? "gateway:" : "node:") + proxy.name();
    }

    private static void service(TranslationMemo memo, String name, Set<String> keys) {
        MeshView view = memo.view();
        keys.add("service:" + name);
        VirtualServiceSpec spec = view.virtualServices().get(name);
        if (spec != null && spec.provider() != null && spec.provider().virtualNode() != null) {
            // the provider counts even while it has no listener (and so no port below): its first one reaches the callers
            keys.add("node:" + spec.provider().virtualNode().virtualNodeName());
        }
        if (spec != null && spec.provider() != null && spec.provider().virtualRouter() != null) {
            String router = spec.provider().virtualRouter().virtualRouterName();
            keys.add("router:" + router);
            view.routesOf(router).forEach((route, routeSpec) -> {
                keys.add("route:" + pair(router, route));
                // every target counts, also one routing reaches on no port yet: its next listener makes it a cluster
                targetNodes(routeSpec).forEach(node -> keys.add("node:" + node));
            });
        }
        for (ServicePort port : memo.service(name)) {
            for (RouteRule rule : port.routes()) {
                for (Target target : rule.targets()) {
                    keys.add("node:" + target.node());
                    VirtualNodeSpec node = view.virtualNodes().get(target.node());
                    if (node != null && node.serviceDiscovery() != null && node.serviceDiscovery().awsCloudMap() != null) {
                        var cloudMap = node.serviceDiscovery().awsCloudMap();
                        keys.add("registry:" + pair(cloudMap.namespaceName(), cloudMap.serviceName()));
                    }
                }
            }
        }
    }

    private static Stream<String> targetNodes(RouteSpec route) {
        List<WeightedTarget> targets = route.httpRoute() != null
                ? route.httpRoute().action().weightedTargets()
                : route.http2Route() != null ? route.http2Route().action().weightedTargets()
                : route.grpcRoute() != null ? route.grpcRoute().action().weightedTargets()
                : route.tcpRoute() != null ? route.tcpRoute().action().weightedTargets() : List.of();
        return targets.stream().map(WeightedTarget::virtualNode);
    }

    /** The keys whose content differs between two views of a mesh (everything, when there is no previous view). */
    public static Set<String> changed(MeshView before, MeshView after) {
        return changed(before, after, null, after == null ? null : new TranslationMemo(after));
    }

    /**
     * The same, with the callers of each node in the previous view when they are known (null: worked
     * out here) and the new view's memo, shared with translation, which needs the same callers.
     */
    public static Set<String> changed(MeshView before, MeshView after, Map<String, Set<String>> beforeCallers,
            TranslationMemo afterMemo) {
        Set<String> changed = new HashSet<>();
        if (before == null || after == null || !Objects.equals(before.spec(), after.spec()) || before.mtls() != after.mtls()) {
            changed.add(MESH);
        }
        if (before == null || after == null) {
            return changed;
        }
        if (!Objects.equals(before.tracing(), after.tracing())) {
            changed.add(TRACING);
        }
        Set<String> policies = new HashSet<>(before.authorizationPolicies().keySet());
        policies.addAll(after.authorizationPolicies().keySet());
        for (String policy : policies) {
            var was = before.authorizationPolicies().get(policy);
            var is = after.authorizationPolicies().get(policy);
            if (!Objects.equals(was, is)) {
                for (var spec : new dev.meshplane.api.security.AuthorizationPolicySpec[] {was, is}) {
                    if (spec != null) {
                        spec.targets().virtualNodes().forEach(node -> changed.add(AUTHZ + node));
                    }
                }
            }
        }
        if (after.mtls() == dev.meshplane.api.security.MtlsMode.STRICT && before.mtls() == after.mtls()) {
            Map<String, Set<String>> was = beforeCallers != null ? beforeCallers : new TranslationMemo(before).callers();
            Map<String, Set<String>> is = afterMemo.callers();
            diff(CALLERS, was, is, changed);
        }
        diff("node:", before.virtualNodes(), after.virtualNodes(), changed);
        diff("service:", before.virtualServices(), after.virtualServices(), changed);
        diff("router:", before.virtualRouters(), after.virtualRouters(), changed);
        diff("gateway:", before.virtualGateways(), after.virtualGateways(), changed);
        diff("route:", flatten(before.routes()), flatten(after.routes()), changed);
        diff("gatewayRoute:", flatten(before.gatewayRoutes()), flatten(after.gatewayRoutes()), changed);
        // a route added to or removed from a router changes what the router's callers get
        parentsOfChanged("router:", before.routes(), after.routes(), changed);
        parentsOfChanged("gateway:", before.gatewayRoutes(), after.gatewayRoutes(), changed);
        Map<String, Object> beforeInstances = new HashMap<>();
        before.instances().forEach((k, v) -> beforeInstances.put(pair(k.namespace(), k.service()), Set.copyOf(v)));
        Map<String, Object> afterInstances = new HashMap<>();
        after.instances().forEach((k, v) -> afterInstances.put(pair(k.namespace(), k.service()), Set.copyOf(v)));
        diff("registry:", beforeInstances, afterInstances, changed);
        return changed;
    }

    private static <T> Map<String, T> flatten(Map<String, Map<String, T>> nested) {
        Map<String, T> flat = new HashMap<>();
        nested.forEach((parent, children) -> children.forEach((name, spec) -> flat.put(pair(parent, name), spec)));
        return flat;
    }

    /**
     * The key part of a child resource: parent and name joined by '/', each with its own '/' and '%' escaped, since
     * App Mesh's names may hold a '/' (router 'a/b' with route 'c' and router 'a' with route 'b/c' are two routes).
     */
    private static String pair(String parent, String name) {
        return escape(parent) + "/" + escape(name);
    }

    private static String escape(String name) {
        return name.replace("%", "%25").replace("/", "%2F");
    }

    /** Adds the key of each parent (router, gateway) whose children (routes) were added, removed or changed. */
    private static <T> void parentsOfChanged(String prefix, Map<String, Map<String, T>> before,
            Map<String, Map<String, T>> after, Set<String> changed) {
        Set<String> parents = new HashSet<>(before.keySet());
        parents.addAll(after.keySet());
        for (String parent : parents) {
            if (!Objects.equals(before.getOrDefault(parent, Map.of()), after.getOrDefault(parent, Map.of()))) {
                changed.add(prefix + parent);
            }
        }
    }

    private static void diff(String prefix, Map<String, ?> before, Map<String, ?> after, Set<String> changed) {
        Set<String> names = new HashSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            if (!Objects.equals(before.get(name), after.get(name))) {
                changed.add(prefix + name);
            }
        }
    }
}
