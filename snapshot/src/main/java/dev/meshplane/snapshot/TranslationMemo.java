package dev.meshplane.snapshot;

import dev.meshplane.snapshot.ServiceRouting.RouteRule;
import dev.meshplane.snapshot.ServiceRouting.ServicePort;
import dev.meshplane.snapshot.ServiceRouting.Target;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What translation computes once per mesh view and shares between every proxy translated from it:
 * a service's routing, a target's cluster and endpoints, a route. Callers of the same service get
 * the same message instances, so they are hashed, validated and serialised once, not once per proxy.
 */
public final class TranslationMemo {

    private record RouteKey(RouteRule rule, boolean proxyless) {
    }

    private record ClusterKey(Target target, boolean proxyless) {
    }

    private record HostKey(String service, ServicePort port, boolean proxyless) {
    }

    private record ManagerKey(String statPrefix, String routeConfig, List<AccessLog> accessLogs) {
    }

    private final MeshView view;
    private final Map<String, List<ServicePort>> services = new ConcurrentHashMap<>();
    private final Map<ClusterKey, Cluster> clusters = new ConcurrentHashMap<>();
    private final Map<Target, Optional<ClusterLoadAssignment>> endpoints = new ConcurrentHashMap<>();
    private final Map<RouteKey, Route> routes = new ConcurrentHashMap<>();
    private final Map<HostKey, VirtualHost> hosts = new ConcurrentHashMap<>();
    private final Map<ManagerKey, Filter> managers = new ConcurrentHashMap<>();

    private volatile Map<String, java.util.Set<String>> callers;

    public TranslationMemo(MeshView view) {
        this.view = view;
    }

    public MeshView view() {
        return view;
    }

    /** Under the STRICT backends gate, who may call each node (SPIFFE ids), worked out once per view. */
    public Map<String, java.util.Set<String>> callers() {
        Map<String, java.util.Set<String>> computed = callers;
        if (computed == null) {
            computed = AuthorizationTranslator.callersByNode(this);
            callers = computed;
        }
        return computed;
    }

    List<ServicePort> service(String name) {
        return services.computeIfAbsent(name, n -> ServiceRouting.resolve(view, n));
    }

    Cluster cluster(Target target, boolean proxyless) {
        return clusters.computeIfAbsent(new ClusterKey(target, proxyless), k -> ClusterTranslator.egress(view, target, proxyless));
    }

    ClusterLoadAssignment endpoints(Target target) {
        return endpoints.computeIfAbsent(target, t -> Optional.ofNullable(ClusterTranslator.endpoints(view, t))).orElse(null);
    }

    /** The virtual host of a service on one port: its name and name:port as domains, its routes in order. */
    VirtualHost virtualHost(String service, ServicePort port, boolean proxyless) {
        return hosts.computeIfAbsent(new HostKey(service, port, proxyless), k -> {
            VirtualHost.Builder host = VirtualHost.newBuilder().setName(service)
                    .addDomains(service).addDomains(service + ":" + port.port());
            port.routes().forEach(rule -> host.addRoutes(route(rule, proxyless)));
            return host.build();
        });
    }

    /** An HTTP connection manager filter taking its routes over RDS, packed once per distinct configuration. */
    Filter httpManager(String statPrefix, String routeConfig, List<AccessLog> accessLogs) {
        return managers.computeIfAbsent(new ManagerKey(statPrefix, routeConfig, accessLogs),
                k -> HttpFilters.network(HttpFilters.manager(statPrefix, routeConfig, accessLogs)));
    }

    Route route(RouteRule rule, boolean proxyless) {
        return routes.computeIfAbsent(new RouteKey(rule, proxyless), k -> RouteTranslator.translate(view.mesh(), rule, proxyless));
    }
}
