package dev.meshplane.controlplane.graph;

import dev.meshplane.api.validation.TextRules;
import dev.meshplane.controlplane.graph.ServiceGraph.Edge;
import dev.meshplane.controlplane.graph.ServiceGraph.Node;
import dev.meshplane.controlplane.graph.ServiceGraph.TrafficEdge;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * A {@link ServiceGraph} as SVG, laid out here by Eclipse ELK's layered algorithm (left to right, no process run):
 * one {@code <g class="node ...">} per graph node and one {@code <g class="edge ...">} per graph edge, each with a
 * {@code <title>}. Written with the JDK's StAX writer, which escapes every text and attribute (and characters XML does
 * not allow replaced first); no script, no link.
 */
final class SvgWriter {

    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final double CHAR_WIDTH = 7.2;
    private static final double LINE_HEIGHT = 16;
    private static final double MARGIN = 20;

    static {
        LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
    }

    private SvgWriter() {
    }

    static String write(ServiceGraph graph) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(CoreOptions.PADDING, new ElkPadding(MARGIN));
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 60.0);
        Map<String, ElkNode> laid = new HashMap<>();
        for (Node node : graph.nodes()) {
            ElkNode box = ElkGraphUtil.createNode(root);
            List<String> lines = GraphStyle.lines(node);
            box.setDimensions(lines.stream().mapToInt(String::length).max().orElse(1) * CHAR_WIDTH + 24,
                    lines.size() * LINE_HEIGHT + 16);
            laid.put(node.id(), box);
        }
        Map<Edge, ElkEdge> routed = new HashMap<>();
        for (Edge edge : graph.edges()) {
            ElkEdge line = ElkGraphUtil.createSimpleEdge(laid.get(edge.from()), laid.get(edge.to()));
            String text = GraphStyle.label(edge);
            if (!text.isEmpty()) {
                ElkLabel label = ElkGraphUtil.createLabel(text, line);
                label.setDimensions(text.length() * CHAR_WIDTH, LINE_HEIGHT);
                label.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
            }
            routed.put(edge, line);
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());
        try {
            StringWriter out = new StringWriter();
            XMLStreamWriter svg = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            svg.writeStartDocument("UTF-8", "1.0");
            svg.writeStartElement("svg");
            svg.writeDefaultNamespace(SVG);
            svg.writeAttribute("width", number(root.getWidth()));
            svg.writeAttribute("height", number(root.getHeight()));
            svg.writeAttribute("viewBox", "0 0 " + number(root.getWidth()) + " " + number(root.getHeight()));
            svg.writeAttribute("font-family", "sans-serif");
            svg.writeAttribute("font-size", "12");
            element(svg, "title", graph.meshName() + " (" + graph.window() + ")");
            for (Edge edge : graph.edges()) {
                edge(svg, edge, routed.get(edge));
            }
            for (Node node : graph.nodes()) {
                node(svg, node, laid.get(node.id()));
            }
            svg.writeEndElement();
            svg.writeEndDocument();
            svg.close();
            return out.toString();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing SVG into memory", e);
        }
    }

    private static void node(XMLStreamWriter svg, Node node, ElkNode box) throws XMLStreamException {
        svg.writeStartElement("g");
        svg.writeAttribute("class", "node " + node.kind() + (GraphStyle.nacked(node) ? " nacked" : ""));
        svg.writeAttribute("id", xml(node.id()));
        element(svg, "title", node.kind() + " " + node.name());
        svg.writeEmptyElement("rect");
        svg.writeAttribute("x", number(box.getX()));
        svg.writeAttribute("y", number(box.getY()));
        svg.writeAttribute("width", number(box.getWidth()));
        svg.writeAttribute("height", number(box.getHeight()));
        svg.writeAttribute("rx", node.kind().equals(ServiceGraph.VIRTUAL_SERVICE) ? "14" : "3");
        svg.writeAttribute("fill", GraphStyle.fill(node));
        svg.writeAttribute("stroke", GraphStyle.nacked(node) ? GraphStyle.NACKED : "#424242");
        svg.writeAttribute("stroke-width", GraphStyle.nacked(node) ? "2.5" : "1");
        List<String> lines = GraphStyle.lines(node);
        for (int i = 0; i < lines.size(); i++) {
            svg.writeStartElement("text");
            svg.writeAttribute("x", number(box.getX() + box.getWidth() / 2));
            svg.writeAttribute("y", number(box.getY() + 8 + LINE_HEIGHT * (i + 0.75)));
            svg.writeAttribute("text-anchor", "middle");
            if (i > 0 && GraphStyle.nacked(node)) {
                svg.writeAttribute("fill", GraphStyle.NACKED);
            }
            svg.writeCharacters(xml(lines.get(i)));
            svg.writeEndElement();
        }
        svg.writeEndElement();
    }

    private static void edge(XMLStreamWriter svg, Edge edge, ElkEdge line) throws XMLStreamException {
        String colour = GraphStyle.colour(edge);
        svg.writeStartElement("g");
        svg.writeAttribute("class", "edge " + edge.kind() + (edge instanceof TrafficEdge t ? " " + t.health() : ""));
        svg.writeAttribute("id", xml(edge.id()));
        element(svg, "title", edge.kind() + ": " + edge.from() + " to " + edge.to());
        for (ElkEdgeSection section : line.getSections()) {
            StringBuilder d = new StringBuilder("M").append(number(section.getStartX())).append(' ').append(number(section.getStartY()));
            double lastX = section.getStartX();
            double lastY = section.getStartY();
            for (ElkBendPoint bend : section.getBendPoints()) {
                d.append(" L").append(number(bend.getX())).append(' ').append(number(bend.getY()));
                lastX = bend.getX();
                lastY = bend.getY();
            }
            d.append(" L").append(number(section.getEndX())).append(' ').append(number(section.getEndY()));
            svg.writeEmptyElement("path");
            svg.writeAttribute("d", d.toString());
            svg.writeAttribute("fill", "none");
            svg.writeAttribute("stroke", colour);
            svg.writeAttribute("stroke-width", edge instanceof TrafficEdge ? "2.5" : "1.2");
            if (edge.kind().equals("backend")) {
                svg.writeAttribute("stroke-dasharray", "5 4");
            }
            arrowHead(svg, lastX, lastY, section.getEndX(), section.getEndY(), colour);
        }
        for (ElkLabel label : line.getLabels()) {
            svg.writeStartElement("text");
            svg.writeAttribute("x", number(label.getX()));
            svg.writeAttribute("y", number(label.getY() + LINE_HEIGHT * 0.75));
            svg.writeAttribute("fill", colour);
            svg.writeCharacters(xml(label.getText()));
            svg.writeEndElement();
        }
        svg.writeEndElement();
    }

    /** A filled triangle at the end of the last segment, pointing along it. */
    private static void arrowHead(XMLStreamWriter svg, double fromX, double fromY, double x, double y, String colour)
            throws XMLStreamException {
        double angle = Math.atan2(y - fromY, x - fromX);
        double length = 9;
        double spread = Math.PI / 7;
        svg.writeEmptyElement("polygon");
        svg.writeAttribute("points", number(x) + "," + number(y) + " "
                + number(x - length * Math.cos(angle - spread)) + "," + number(y - length * Math.sin(angle - spread)) + " "
                + number(x - length * Math.cos(angle + spread)) + "," + number(y - length * Math.sin(angle + spread)));
        svg.writeAttribute("fill", colour);
    }

    private static void element(XMLStreamWriter svg, String name, String text) throws XMLStreamException {
        svg.writeStartElement(name);
        svg.writeCharacters(xml(TextRules.printable(text)));
        svg.writeEndElement();
    }

    /**
     * The text with each character XML 1.0 does not allow in a document (its {@code Char} production: controls but
     * tab and line breaks, U+FFFE, U+FFFF, a surrogate out of its pair) as U+FFFD. Names may hold U+FFFE and U+FFFF,
     * and the StAX writer escapes markup but writes those as they are, which no XML parser reads.
     */
    private static String xml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
                out.append(allowed ? c : '\uFFFD');
            }
        }
        return out.toString();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
