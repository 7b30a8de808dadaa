package dev.meshplane.controlplane.graph;

import dev.meshplane.controlplane.graph.ServiceGraph.Edge;
import dev.meshplane.controlplane.graph.ServiceGraph.Node;
import dev.meshplane.controlplane.graph.ServiceGraph.TrafficEdge;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedPseudograph;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.dot.DOTExporter;

/**
 * A {@link ServiceGraph} as Graphviz DOT, through JGraphT's exporter: one DOT node per graph node (its id as the DOT
 * id, with {@code kind}, a one-line {@code label}, {@code proxies} and {@code nacked}), one DOT edge per graph edge
 * (with {@code id}, {@code kind}, {@code label}, {@code color}). Every string is a quoted DOT string with its quotes
 * escaped, and holds no backslash.
 */
final class DotWriter {

    private DotWriter() {
    }

    static String write(ServiceGraph graph) {
        Graph<String, Edge> model = new DirectedPseudograph<>(null, null, false);
        Map<String, Node> nodes = new LinkedHashMap<>();
        graph.nodes().forEach(n -> {
            nodes.put(n.id(), n);
            model.addVertex(n.id());
        });
        graph.edges().forEach(e -> model.addEdge(e.from(), e.to(), e));
        DOTExporter<String, Edge> exporter = new DOTExporter<>(id -> '"' + quoted(id) + '"');
        exporter.setGraphIdProvider(() -> '"' + quoted(graph.meshName()) + '"');
        // graph attributes are written as given, unlike node and edge attributes: quoted here
        exporter.setGraphAttributeProvider(() -> {
            Map<String, Attribute> attributes = new LinkedHashMap<>();
            attributes.put("rankdir", DefaultAttribute.createAttribute("LR"));
            attributes.put("label", DefaultAttribute.createAttribute('"' + quoted(graph.meshName() + " (" + graph.window() + ")") + '"'));
            return attributes;
        });
        exporter.setVertexAttributeProvider(id -> {
            Node node = nodes.get(id);
            Map<String, Attribute> attributes = attributes("kind", node.kind(), "shape", shape(node.kind()),
                    "style", "filled", "fillcolor", GraphStyle.fill(node),
                    "color", GraphStyle.nacked(node) ? GraphStyle.NACKED : "#424242");
            List<String> lines = GraphStyle.lines(node);
            attributes.put("label", DefaultAttribute.createAttribute(escaped(lines.size() == 1 ? lines.get(0)
                    : lines.get(0) + " (" + lines.get(1) + ")")));
            if (node.proxies() != null) {
                attributes.put("proxies", DefaultAttribute.createAttribute(node.proxies().connected()));
                attributes.put("nacked", DefaultAttribute.createAttribute(node.proxies().nacked()));
            }
            return attributes;
        });
        exporter.setEdgeAttributeProvider(edge -> attributes("id", edge.id(), "kind", edge.kind(), "label",
                GraphStyle.label(edge), "color", GraphStyle.colour(edge), "style", style(edge)));
        StringWriter out = new StringWriter();
        exporter.exportGraph(model, out);
        return out.toString();
    }

    private static String style(Edge edge) {
        if (edge instanceof TrafficEdge) {
            return "bold";
        }
        return edge.kind().equals("backend") ? "dashed" : "solid";
    }

    private static String shape(String kind) {
        return switch (kind) {
            case ServiceGraph.VIRTUAL_SERVICE -> "ellipse";
            case ServiceGraph.VIRTUAL_ROUTER -> "diamond";
            case ServiceGraph.VIRTUAL_GATEWAY -> "house";
            default -> "box";
        };
    }

    /** Name/value pairs as attributes whose values the exporter will quote. */
    private static Map<String, Attribute> attributes(String... pairs) {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            attributes.put(pairs[i], DefaultAttribute.createAttribute(escaped(pairs[i + 1])));
        }
        return attributes;
    }

    /**
     * Without control characters or backslashes, which API names cannot hold (ResourceService.checkName) and DOT
     * quoted strings cannot carry safely: Graphviz keeps a backslash as it is, so one before the closing quote
     * escapes it. The exporter adds the quotes' escapes.
     */
    private static String escaped(String text) {
        return text.codePoints().map(c -> c == '\\' || Character.isISOControl(c) ? '\uFFFD' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** The full escape of a DOT quoted string, for ids, which the exporter writes as given. */
    private static String quoted(String text) {
        return escaped(text).replace("\"", "\\\"");
    }
}
