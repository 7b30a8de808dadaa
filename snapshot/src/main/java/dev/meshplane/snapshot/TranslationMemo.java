package dev.meshplane.snapshot;

import dev.meshplane.api.model.IpPreference;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.snapshot.MeshView.Instance;
import dev.meshplane.snapshot.ServiceRouting.RouteRule;
import dev.meshplane.snapshot.ServiceRouting.ServicePort;
import dev.meshplane.snapshot.ServiceRouting.Target;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What translation computes once per mesh view and shares between every proxy translated from it:
 * a service's routing, a target's cluster and endpoints, a route. Callers of the same service get
 * the same message instances, so they are hashed, validated and serialised once, not once per proxy.
 *
 * <p>Parts that are functions of a key (a route of its route rule, a service's virtual host, an
 * HTTP connection manager, a cluster or endpoints of their target together with the target node's
 * spec, the mesh's IP preference and the registry instances) are also kept from one view of a mesh to
 * the next ({@link #next}): after a change, whatever it did not touch is the same instance as before,
 * so the publisher does not build, check or encode it again. They are kept for as long as something
 * still holds them (the proxies' current configurations, or the memo of the last view), and no longer:
 * the carry holds them weakly.
 */
public final class TranslationMemo {

    private record RouteKey(RouteRule rule, boolean proxyless) {
    }

    private record ClusterKey(Target target, boolean proxyless) {
    }

    private record HostKey(String service, ServicePort port, boolean proxyless) {
    }

    private record ManagerKey(String statPrefix, String routeConfig, List<AccessLog> accessLogs,
            HttpConnectionManager.Tracing tracing) {
    }

    private record SecuredKey(Cluster cluster, TransportSocket tls) {
    }

    /**
     * All a target's cluster and endpoints are made of besides the target: its node's spec, the mesh's
     * IP preference and (for endpoints) the registry instances the node selects from.
     */
    private record TargetInputs(VirtualNodeSpec node, IpPreference meshIpPreference, List<Instance> instances) {
    }

    private record CarriedCluster(Target target, boolean proxyless, TargetInputs inputs) {
    }

    private record CarriedEndpoints(Target target, TargetInputs inputs) {
    }

    /** Stands for "no endpoints" (a DNS cluster) in the carry, which cannot hold null. */
    private static final ClusterLoadAssignment NO_ENDPOINTS = ClusterLoadAssignment.getDefaultInstance();

    /**
     * The parts carried from view to view of one mesh, each under a key that determines it entirely,
     * held weakly: a part nothing else holds any more is dropped by the garbage collector.
     */
    private static final class Carry {

        private final Map<Object, WeakReference<Object>> parts = new ConcurrentHashMap<>();

        @SuppressWarnings("unchecked")
        <V> V get(Object key, Supplier<V> build) {
            WeakReference<Object> held = parts.get(key);
            Object part = held == null ? null : held.get();
            if (part == null) {
                part = build.get();
                parts.put(key, new WeakReference<>(part));
            }
            return (V) part;
        }

        /** Forgets the keys whose parts are gone; returns this. */
        Carry purged() {
            parts.values().removeIf(held -> held.get() == null);
            return this;
        }

        int size() {
            return parts.size();
        }
    }

    private final MeshView view;
    private final Carry carry;
    private final Map<String, List<ServicePort>> services = new ConcurrentHashMap<>();
    private final Map<ClusterKey, Cluster> clusters = new ConcurrentHashMap<>();
    private final Map<Target, ClusterLoadAssignment> endpoints = new ConcurrentHashMap<>();
    private final Map<RouteKey, Route> routes = new ConcurrentHashMap<>();
    private final Map<HostKey, VirtualHost> hosts = new ConcurrentHashMap<>();
    private final Map<ManagerKey, Filter> managers = new ConcurrentHashMap<>();
    private final Map<SecuredKey, Cluster> secured = new ConcurrentHashMap<>();
    private final Map<VirtualHost, List<RouteShadowing.Shadow>> shadowed = new ConcurrentHashMap<>();

    private volatile Map<String, java.util.Set<String>> callers;

    public TranslationMemo(MeshView view) {
        this(view, new Carry());
    }

    private TranslationMemo(MeshView view, Carry carry) {
        this.view = view;
        this.carry = carry;
    }

    /**
     * The memo for the next view of the same mesh: this one itself when the view is the same, else a
     * new memo that shares this one's carry, so it finds there every part the change did not touch.
     */
    public TranslationMemo next(MeshView nextView) {
        if (nextView == view) {
            return this;
        }
        if (!nextView.mesh().equals(view.mesh())) {
            return new TranslationMemo(nextView);
        }
        return new TranslationMemo(nextView, carry.purged());
    }

    /** How many parts the carry holds now (for tests). */
    int carried() {
        return carry.size();
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
        return clusters.computeIfAbsent(new ClusterKey(target, proxyless), k -> carry.get(
                new CarriedCluster(target, proxyless, inputs(target, false)),
                () -> ClusterTranslator.egress(view, target, proxyless)));
    }

    ClusterLoadAssignment endpoints(Target target) {
        ClusterLoadAssignment found = endpoints.computeIfAbsent(target, t -> carry.get(
                new CarriedEndpoints(target, inputs(target, true)), () -> {
                    ClusterLoadAssignment built = ClusterTranslator.endpoints(view, target);
                    return built == null ? NO_ENDPOINTS : built;
                }));
        return found == NO_ENDPOINTS ? null : found;
    }

    /**
     * A cluster with TLS to its upstream: every caller that reaches the same cluster with the same TLS
     * (under mesh-wide mTLS, every caller of a service) shares one instance.
     */
    Cluster withTls(Cluster cluster, TransportSocket tls) {
        SecuredKey key = new SecuredKey(cluster, tls);
        return secured.computeIfAbsent(key, k -> carry.get(key, () -> cluster.toBuilder().setTransportSocket(tls).build()));
    }

    /** What, in this view, a target's cluster (or with {@code instances}, its endpoints) is built from besides the target. */
    private TargetInputs inputs(Target target, boolean instances) {
        VirtualNodeSpec node = view.virtualNodes().get(target.node());
        var cloudMap = node == null || node.serviceDiscovery() == null ? null : node.serviceDiscovery().awsCloudMap();
        return new TargetInputs(node, ClusterTranslator.meshIpPreference(view), instances && cloudMap != null
                ? view.instancesOf(cloudMap.namespaceName(), cloudMap.serviceName()) : List.of());
    }

    /** The virtual host of a service on one port: its name and name:port as domains, its routes in order. */
    VirtualHost virtualHost(String service, ServicePort port, boolean proxyless) {
        HostKey key = new HostKey(service, port, proxyless);
        return hosts.computeIfAbsent(key, k -> carry.get(key, () -> {
            VirtualHost.Builder host = VirtualHost.newBuilder().setName(service)
                    .addDomains(service).addDomains(service + ":" + port.port());
            port.routes().forEach(rule -> host.addRoutes(route(rule, proxyless)));
            return host.build();
        }));
    }

    /**
     * An HTTP connection manager filter taking its routes over RDS, with the mesh's tracer or none ({@code tracing}
     * null), packed once per distinct configuration.
     */
    Filter httpManager(String statPrefix, String routeConfig, List<AccessLog> accessLogs,
            HttpConnectionManager.Tracing tracing) {
        ManagerKey key = new ManagerKey(statPrefix, routeConfig, accessLogs, tracing);
        return managers.computeIfAbsent(key, k -> carry.get(key,
                () -> HttpFilters.network(HttpFilters.manager(statPrefix, routeConfig, accessLogs, tracing))));
    }

    /** A virtual host's shadowed routes ({@link RouteShadowing}), worked out once per distinct host of this view. */
    List<RouteShadowing.Shadow> shadowed(VirtualHost host) {
        return shadowed.computeIfAbsent(host, RouteShadowing::shadowed);
    }

    Route route(RouteRule rule, boolean proxyless) {
        RouteKey key = new RouteKey(rule, proxyless);
        return routes.computeIfAbsent(key, k -> carry.get(key, () -> RouteTranslator.translate(view.mesh(), rule, proxyless)));
    }
}
