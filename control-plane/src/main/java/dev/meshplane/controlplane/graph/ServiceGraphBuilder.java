package dev.meshplane.controlplane.graph;

import dev.meshplane.api.model.GatewayRouteTarget;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualServiceSpec;
import dev.meshplane.api.model.WeightedTarget;
import dev.meshplane.controlplane.graph.ServiceGraph.ConfiguredEdge;
import dev.meshplane.controlplane.graph.ServiceGraph.Edge;
import dev.meshplane.controlplane.graph.ServiceGraph.Node;
import dev.meshplane.controlplane.graph.ServiceGraph.NodeTraffic;
import dev.meshplane.controlplane.graph.ServiceGraph.Proxies;
import dev.meshplane.controlplane.graph.ServiceGraph.Proxy;
import dev.meshplane.controlplane.graph.ServiceGraph.TrafficEdge;
import dev.meshplane.controlplane.traffic.TrafficReport;
import dev.meshplane.controlplane.traffic.TrafficReport.Figures;
import dev.meshplane.controlplane.traffic.TrafficReport.MeshTraffic;
import dev.meshplane.controlplane.traffic.TrafficWindow;
import dev.meshplane.controlplane.traffic.VirtualServiceInference;
import dev.meshplane.controlplane.xds.ConfigPublisher;
import dev.meshplane.controlplane.xds.MeshViewLoader;
import dev.meshplane.controlplane.xds.ProxyStatusTracker;
import dev.meshplane.controlplane.xds.ProxyStatusTracker.Nack;
import dev.meshplane.controlplane.xds.ProxyStatusTracker.ProxyStatus;
import dev.meshplane.snapshot.MeshView;
import dev.meshplane.snapshot.ProxyId;
import dev.meshplane.snapshot.RouteShadowing;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.springframework.stereotype.Service;

/**
 * Builds a mesh's {@link ServiceGraph} from its configuration (the view the publisher translates), its traffic over
 * a window ({@link TrafficReport}, every replica's reports) and the proxies connected to this replica
 * ({@link ProxyStatusTracker}).
 */
@Service
public class ServiceGraphBuilder {

    /** Below this error rate a traffic edge is healthy. */
    static final double DEGRADED_ERROR_RATE = 0.01;
    /** From this error rate on a traffic edge is failing. */
    static final double FAILING_ERROR_RATE = 0.10;

    private final MeshViewLoader views;
    private final TrafficReport traffic;
    private final ProxyStatusTracker tracker;
    private final ConfigPublisher publisher;

    public ServiceGraphBuilder(MeshViewLoader views, TrafficReport traffic, ProxyStatusTracker tracker,
            ConfigPublisher publisher) {
        this.views = views;
        this.traffic = traffic;
        this.tracker = tracker;
        this.publisher = publisher;
    }

    /**
     * The graph of an existing mesh over a window.
     *
     * @return the graph; an empty one (no nodes, no edges) when the mesh was deleted since the caller checked it
     */
    public ServiceGraph build(String mesh, TrafficWindow window) {
        MeshView view = views.load(mesh).orElse(null);
        MeshTraffic reported = traffic.of(mesh, window, view);
        Map<String, Node> nodes = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        if (view != null) {
            Map<String, List<Proxy>> proxies = proxies(mesh);
            Map<String, NodeTraffic> nodeTraffic = new HashMap<>();
            reported.virtualNodes().forEach(n -> nodeTraffic.put(n.virtualNodeName(), new NodeTraffic(n.inbound(), n.outbound())));
            new TreeMap<>(view.virtualServices()).keySet().forEach(name -> put(nodes, ServiceGraph.VIRTUAL_SERVICE, name, null, null));
            new TreeMap<>(view.virtualRouters()).keySet().forEach(name -> put(nodes, ServiceGraph.VIRTUAL_ROUTER, name, null, null));
            new TreeMap<>(view.virtualNodes()).keySet().forEach(name -> put(nodes, ServiceGraph.VIRTUAL_NODE, name,
                    proxies(proxies.get(Node.id(ServiceGraph.VIRTUAL_NODE, name))),
                    nodeTraffic.getOrDefault(name, new NodeTraffic(Figures.NONE, Figures.NONE))));
            new TreeMap<>(view.virtualGateways()).keySet().forEach(name -> put(nodes, ServiceGraph.VIRTUAL_GATEWAY, name,
                    proxies(proxies.get(Node.id(ServiceGraph.VIRTUAL_GATEWAY, name))), null));
            configuredEdges(view, nodes, edges);
            trafficEdges(reported, nodes, edges);
        }
        return new ServiceGraph(mesh, reported.window(), reported.windowSeconds(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), reported.latencyNote(),
                List.copyOf(nodes.values()), edges);
    }

    /** How a traffic edge fares: by its error rate among finished requests, {@code idle} when none finished. */
    static String health(Figures figures) {
        if (figures.errorRate() == null) {
            return "idle";
        }
        if (figures.errorRate() >= FAILING_ERROR_RATE) {
            return "failing";
        }
        return figures.errorRate() >= DEGRADED_ERROR_RATE ? "degraded" : "healthy";
    }

    private static void put(Map<String, Node> nodes, String kind, String name, Proxies proxies, NodeTraffic traffic) {
        String id = Node.id(kind, name);
        nodes.put(id, new Node(id, kind, name, proxies, traffic));
    }

    static void configuredEdges(MeshView view, Map<String, Node> nodes, List<Edge> edges) {
        // an edge to what the mesh does not hold (a backend not created yet) is left out: the console draws known nodes
        BiFunction<String, String, Boolean> known = (from, to) -> nodes.containsKey(from) && nodes.containsKey(to);
        new TreeMap<>(view.virtualNodes()).forEach((name, spec) -> backends(spec).forEach(service -> {
            String from = Node.id(ServiceGraph.VIRTUAL_NODE, name);
            String to = Node.id(ServiceGraph.VIRTUAL_SERVICE, service);
            if (known.apply(from, to)) {
                edges.add(new ConfiguredEdge("backend/" + name + "/" + service, "backend", from, to, null, null, null, null));
            }
        }));
        new TreeMap<>(view.virtualServices()).forEach((name, spec) -> {
            String to = provider(spec);
            String from = Node.id(ServiceGraph.VIRTUAL_SERVICE, name);
            if (to != null && known.apply(from, to)) {
                edges.add(new ConfiguredEdge("provider/" + name, "provider", from, to, null, null, null, null));
            }
        });
        new TreeMap<>(view.routes()).forEach((router, routes) -> {
            Map<String, String> shadowed = RouteShadowing.ofRouter(view, router);
            new TreeMap<>(routes).forEach((route, spec) -> routeEdges(view, router, route, spec, shadowed.get(route), known, edges));
        });
        new TreeMap<>(view.gatewayRoutes()).forEach((gateway, routes) -> new TreeMap<>(routes).forEach((route, spec) -> {
            GatewayRouteTarget target = VirtualServiceInference.target(spec);
            String from = Node.id(ServiceGraph.VIRTUAL_GATEWAY, gateway);
            String to = target == null ? null : Node.id(ServiceGraph.VIRTUAL_SERVICE, target.virtualService().virtualServiceName());
            if (to != null && known.apply(from, to)) {
                edges.add(new ConfiguredEdge("gatewayRoute/" + gateway + "/" + route, "gatewayRoute", from, to, route, null,
                        target.port(), null));
            }
        }));
    }

    /** A route's edges, one per weighted target, each naming the route that shadows it (null when none does). */
    private static void routeEdges(MeshView view, String router, String route, dev.meshplane.api.model.RouteSpec spec,
            String shadowedBy, BiFunction<String, String, Boolean> known, List<Edge> edges) {
        List<WeightedTarget> targets = VirtualServiceInference.targets(spec);
        for (int i = 0; i < targets.size(); i++) {
            WeightedTarget target = targets.get(i);
            String from = Node.id(ServiceGraph.VIRTUAL_ROUTER, router);
            String to = Node.id(ServiceGraph.VIRTUAL_NODE, target.virtualNode());
            if (known.apply(from, to)) {
                edges.add(new ConfiguredEdge("route/" + router + "/" + route + "/" + i, "route", from, to, route,
                        target.weight(), VirtualServiceInference.targetPort(view, target), shadowedBy));
            }
        }
    }

    private static List<String> backends(VirtualNodeSpec spec) {
        return spec.backends() == null ? List.of() : spec.backends().stream().filter(b -> b.virtualService() != null)
                .map(b -> b.virtualService().virtualServiceName()).toList();
    }

    private static String provider(VirtualServiceSpec spec) {
        if (spec.provider() == null) {
            return null;
        }
        return spec.provider().virtualNode() != null
                ? Node.id(ServiceGraph.VIRTUAL_NODE, spec.provider().virtualNode().virtualNodeName())
                : Node.id(ServiceGraph.VIRTUAL_ROUTER, spec.provider().virtualRouter().virtualRouterName());
    }

    private static void trafficEdges(MeshTraffic reported, Map<String, Node> nodes, List<Edge> edges) {
        for (TrafficReport.Edge edge : reported.edges()) {
            String from = Node.id(edge.source().kind(), edge.source().name());
            String to = Node.id(ServiceGraph.VIRTUAL_NODE, edge.destination().virtualNode());
            // traffic of a node deleted since stays in the traffic API until it ages out; the graph draws the mesh as it is
            if (!nodes.containsKey(from) || !nodes.containsKey(to)) {
                continue;
            }
            String via = edge.virtualService() == null ? null : Node.id(ServiceGraph.VIRTUAL_SERVICE, edge.virtualService());
            edges.add(new TrafficEdge("traffic/" + from + "/" + to + "/" + edge.destination().port(), "traffic", from, to,
                    via, edge.destination().port(), edge.traffic(), health(edge.traffic())));
        }
    }

    /** This replica's proxies of the mesh, by graph node id. */
    private Map<String, List<Proxy>> proxies(String mesh) {
        Map<String, List<Proxy>> byNode = new HashMap<>();
        for (ProxyStatus status : tracker.proxies()) {
            ProxyId proxy = status.proxy();
            if (!proxy.mesh().equals(mesh)) {
                continue;
            }
            String kind = proxy.kind() == ProxyId.Kind.GATEWAY ? ServiceGraph.VIRTUAL_GATEWAY : ServiceGraph.VIRTUAL_NODE;
            byNode.computeIfAbsent(Node.id(kind, proxy.name()), k -> new ArrayList<>()).add(new Proxy(status.nodeId(),
                    proxy.kind().name().toLowerCase(), status.userAgent(), state(status), status.lastNack(),
                    publisher.translationError(proxy.groupKey()).orElse(null)));
        }
        return byNode;
    }

    private static Proxies proxies(List<Proxy> items) {
        List<Proxy> all = items == null ? List.of() : List.copyOf(items);
        return new Proxies(all.size(), (int) all.stream().filter(p -> p.state().equals("acked")).count(),
                (int) all.stream().filter(p -> p.state().equals("nacked")).count(), all);
    }

    /** {@code nacked}, {@code acked} or {@code pending}, as {@link ServiceGraph.Proxy} defines them. */
    static String state(ProxyStatus status) {
        Nack nack = status.lastNack();
        if (nack != null && nack.rejectedVersion() != null && nack.rejectedVersion().equals(status.sent().get(nack.typeUrl()))
                && !nack.rejectedVersion().equals(status.acked().get(nack.typeUrl()))) {
            return "nacked";
        }
        boolean allAcked = !status.sent().isEmpty() && status.sent().entrySet().stream()
                .allMatch(e -> Objects.equals(e.getValue(), status.acked().get(e.getKey())));
        return allAcked ? "acked" : "pending";
    }
}
