package dev.meshplane.controlplane.graph;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meshplane.controlplane.traffic.TrafficReport.Figures;
import dev.meshplane.controlplane.xds.ProxyStatusTracker.Nack;
import java.util.List;

/**
 * A mesh as a graph (docs/traffic.md, "Service graph"): its virtual services, routers, nodes and gateways, the
 * edges its configuration draws and the edges its traffic draws. The JSON names are a contract with the console.
 */
public record ServiceGraph(String meshName, String window, long windowSeconds, String generatedAt, String latencyNote,
        List<Node> nodes, List<Edge> edges) {

    /** The graph's node kinds, which are also the first part of a node's id ({@code kind/name}). */
    public static final String VIRTUAL_SERVICE = "virtualService";
    public static final String VIRTUAL_ROUTER = "virtualRouter";
    public static final String VIRTUAL_NODE = "virtualNode";
    public static final String VIRTUAL_GATEWAY = "virtualGateway";

    /** A resource of the mesh; virtual nodes and gateways carry their connected proxies, virtual nodes their traffic. */
    public record Node(String id, String kind, String name, Proxies proxies, NodeTraffic traffic) {

        static String id(String kind, String name) {
            return kind + "/" + name;
        }
    }

    /** The proxies of a node connected to this replica, counted by state, and each of them. */
    public record Proxies(int connected, int acked, int nacked, List<Proxy> items) {
    }

    /**
     * One xDS stream: {@code state} is {@code nacked} while the version it last rejected is still the one it was last
     * sent, {@code acked} when it accepted every type it was sent, {@code pending} otherwise.
     */
    public record Proxy(String nodeId, String kind, String userAgent, String state,
            @JsonInclude(JsonInclude.Include.ALWAYS) Nack lastNack,
            @JsonInclude(JsonInclude.Include.ALWAYS) String translationError) {
    }

    /** What a virtual node received from every caller and sent to every callee, as the traffic API's figures. */
    public record NodeTraffic(Figures inbound, Figures outbound) {
    }

    /** An edge of either kind. */
    public sealed interface Edge permits ConfiguredEdge, TrafficEdge {

        String id();

        String kind();

        String from();

        String to();
    }

    /**
     * An edge the configuration draws: {@code backend} (node to virtual service), {@code provider} (virtual service
     * to its router or node), {@code route} (router to node, one per weighted target, with route, weight and port),
     * {@code gatewayRoute} (gateway to virtual service, with route and port when the target names one). A route edge
     * whose route is shadowed (a route before it matches every request it matches, docs/xds.md "Shadowed routes")
     * carries {@code shadowedBy}, that route's name; absent otherwise.
     */
    public record ConfiguredEdge(String id, String kind, String from, String to, String route, Integer weight, Integer port,
            String shadowedBy) implements Edge {
    }

    /** An edge the load reports draw: caller to callee node, through {@code via} when the routing tells, and its health. */
    public record TrafficEdge(String id, String kind, String from, String to,
            @JsonInclude(JsonInclude.Include.ALWAYS) String via, int port, Figures traffic, String health)
            implements Edge {
    }
}
