package dev.meshplane.controlplane.graph;

import dev.meshplane.api.validation.TextRules;
import dev.meshplane.controlplane.graph.ServiceGraph.ConfiguredEdge;
import dev.meshplane.controlplane.graph.ServiceGraph.Edge;
import dev.meshplane.controlplane.graph.ServiceGraph.Node;
import dev.meshplane.controlplane.graph.ServiceGraph.TrafficEdge;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What DOT and SVG draw alike: the text lines of a node and an edge, and their colours. */
final class GraphStyle {

    static final String NACKED = "#c62828";

    private GraphStyle() {
    }

    /** The node's name, then for nodes with proxies how many are connected here and how many rejected their configuration. */
    static List<String> lines(Node node) {
        List<String> lines = new ArrayList<>();
        lines.add(TextRules.printable(node.name()));
        if (node.proxies() != null) {
            String proxies = node.proxies().connected() + (node.proxies().connected() == 1 ? " proxy" : " proxies");
            lines.add(node.proxies().nacked() > 0 ? proxies + ", " + node.proxies().nacked() + " NACKed" : proxies);
        }
        return lines;
    }

    /**
     * A route's name and weight (and the route that shadows it, if one does), a gateway route's name, a traffic edge's
     * rate and error rate; empty for the others.
     */
    static String label(Edge edge) {
        if (edge instanceof TrafficEdge traffic) {
            Double errors = traffic.traffic().errorRate();
            return String.format(Locale.ROOT, "%.2f rps, %s errors", traffic.traffic().requestsPerSecond(),
                    errors == null ? "no" : String.format(Locale.ROOT, "%.1f%%", errors * 100));
        }
        ConfiguredEdge configured = (ConfiguredEdge) edge;
        if (configured.weight() != null) {
            return TextRules.printable(configured.route()) + " " + configured.weight() + (configured.shadowedBy() == null
                    ? "" : ", shadowed by " + TextRules.printable(configured.shadowedBy()));
        }
        return configured.route() == null ? "" : TextRules.printable(configured.route());
    }

    static boolean nacked(Node node) {
        return node.proxies() != null && node.proxies().nacked() > 0;
    }

    /** Traffic edges by health (green, amber, red, grey); configured edges grey. */
    static String colour(Edge edge) {
        if (!(edge instanceof TrafficEdge traffic)) {
            return "#757575";
        }
        return switch (traffic.health()) {
            case "healthy" -> "#2e7d32";
            case "degraded" -> "#ef6c00";
            case "failing" -> "#c62828";
            default -> "#9e9e9e";
        };
    }

    static String fill(Node node) {
        return switch (node.kind()) {
            case ServiceGraph.VIRTUAL_SERVICE -> "#e3f2fd";
            case ServiceGraph.VIRTUAL_ROUTER -> "#fff8e1";
            case ServiceGraph.VIRTUAL_GATEWAY -> "#f3e5f5";
            default -> "#e8f5e9";
        };
    }
}
