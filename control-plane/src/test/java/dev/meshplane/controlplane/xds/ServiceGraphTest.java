package dev.meshplane.controlplane.xds;

import static dev.meshplane.controlplane.xds.EnvoyLoadReporter.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import dev.meshplane.controlplane.Fixtures;
import dev.meshplane.controlplane.ServerTest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedPseudograph;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.dot.DOTImporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.VirtualGatewayPortProtocol;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/meshes/{mesh}/graph} over the seed's shape: course-service calls user-service through a 90/10
 * router, a gateway routes to course-service, proxies connect over ADS (one rejects its clusters), and course-service,
 * analytics-service and the gateway report their calls over LRS. The same graph as JSON, as DOT (read back by
 * JGraphT's parser) and as SVG (read back as XML). Same properties as {@link LoadReportTest}, so the two share one server; the mesh, its proxies and its
 * reports are set up once for the class, as the first test needs them.
 */
@TestPropertySource(properties = "meshplane.traffic.reporting-interval=1s")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceGraphTest extends ServerTest {

    /** A name the API allows (no '/', '\\', ';' or '%'), holding what means something in XML or DOT. */
    private static final String ODD_NAME = "odd <b>&amp \"quoted\" 'x'";

    @Autowired
    XdsServer xds;

    private String mesh;
    private JsonNode live;
    private final List<AutoCloseable> open = new ArrayList<>();

    private void seedShapedMesh() {
        if (mesh != null) {
            return;
        }
        mesh = uniqueName("graph");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-service-v1").spec(Fixtures.node("v1.user.local")));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-service-v2").spec(Fixtures.node("v2.user.local")));
        appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("user-service-router")
                .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))));
        appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("user-service-router").routeName("canary")
                .spec(s -> s.httpRoute(h -> h.match(m -> m.prefix("/")).action(a -> a.weightedTargets(
                        t -> t.virtualNode("user-service-v1").weight(90), t -> t.virtualNode("user-service-v2").weight(10))))));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("user-service.mylearning.local")
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("user-service-router")))));
        // a second name for the same router: a caller holding both cannot tell which one its calls went through
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("users.mylearning.local")
                .spec(s -> s.provider(p -> p.virtualRouter(v -> v.virtualRouterName("user-service-router")))));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("course-service")
                .spec(Fixtures.node("course.local", "user-service.mylearning.local")));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("analytics-service")
                .spec(Fixtures.node("analytics.local", "user-service.mylearning.local", "users.mylearning.local")));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("course-service.mylearning.local")
                .spec(s -> s.provider(p -> p.virtualNode(v -> v.virtualNodeName("course-service")))));
        appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("web-gateway")
                .spec(s -> s.listeners(l -> l.portMapping(p -> p.port(8443).protocol(VirtualGatewayPortProtocol.HTTP)))));
        appMesh.createGatewayRoute(r -> r.meshName(mesh).virtualGatewayName("web-gateway").gatewayRouteName("to-courses")
                .spec(s -> s.httpRoute(h -> h.match(m -> m.prefix("/courses"))
                        .action(a -> a.target(t -> t.virtualService(v -> v.virtualServiceName("course-service.mylearning.local")))))));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName(ODD_NAME).spec(Fixtures.node("odd.local")));
    }

    @AfterAll
    void closeStreams() throws Exception {
        for (AutoCloseable stream : open) {
            stream.close();
        }
    }

    /** A proxy of the node on an ADS stream, having received its clusters and ACKed or NACKed them. */
    private void connect(String mesh, String kind, String name, boolean accept) throws Exception {
        AdsStream ads = new AdsStream(xds.port());
        open.add(ads);
        ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/" + mesh + "/" + kind + "/" + name))
                .setTypeUrl(AdsStream.CDS).build());
        DiscoveryResponse clusters = ads.next(20_000);
        assertThat(clusters).as("clusters for " + name).isNotNull();
        ads.send(accept ? AdsStream.ack(clusters) : DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.CDS)
                .setResponseNonce(clusters.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage("simulated rejection of " + name)).build());
    }

    private JsonNode graph(String query) throws Exception {
        return json(send("GET", "/v1/meshes/" + mesh + "/graph" + query, null), 200);
    }

    private static JsonNode byId(JsonNode list, String id) {
        for (JsonNode item : list) {
            if (item.get("id").asString().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("no " + id + " in " + list);
    }

    /** Proxies connected, course-service's report written: the graph of this test's mesh, as JSON. */
    private JsonNode liveGraph() throws Exception {
        seedShapedMesh();
        if (live != null) {
            return live;
        }
        String otherMesh = uniqueName("graph-other");
        appMesh.createMesh(r -> r.meshName(otherMesh));
        appMesh.createVirtualNode(r -> r.meshName(otherMesh).virtualNodeName("user-service-v1").spec(Fixtures.node("v1.user.local")));
        connect(otherMesh, "virtualNode", "user-service-v1", true); // same node name, another mesh: never shown here
        connect(mesh, "virtualNode", "course-service", true);
        connect(mesh, "virtualNode", "user-service-v2", false);
        connect(mesh, "virtualGateway", "web-gateway", true);
        EnvoyLoadReporter course = new EnvoyLoadReporter(xds.port(), "mesh/" + mesh + "/virtualNode/course-service", null);
        EnvoyLoadReporter analytics = new EnvoyLoadReporter(xds.port(), "mesh/" + mesh + "/virtualNode/analytics-service", null);
        EnvoyLoadReporter gateway = new EnvoyLoadReporter(xds.port(), "mesh/" + mesh + "/virtualGateway/web-gateway", null);
        open.add(course);
        open.add(analytics);
        open.add(gateway);
        assertThat(course.answer(20_000)).isNotNull();
        assertThat(analytics.answer(20_000)).isNotNull();
        assertThat(gateway.answer(20_000)).isNotNull();
        course.report(cluster("cds_egress_" + mesh + "_user-service-v1_http_8080", 90, 88, 2, 0),
                cluster("cds_egress_" + mesh + "_user-service-v2_http_8080", 10, 7, 3, 0));
        analytics.report(cluster("cds_egress_" + mesh + "_user-service-v1_http_8080", 5, 5, 0, 0));
        gateway.report(cluster("cds_egress_" + mesh + "_course-service_http_8080", 40, 40, 0, 0));
        assertThat(XdsClients.await(Duration.ofSeconds(20), () -> {
            try {
                JsonNode edges = graph("").get("edges");
                return edges.valueStream().filter(e -> e.get("kind").asString().equals("traffic")).count() == 4;
            } catch (Exception | AssertionError e) {
                return false;
            }
        })).as("the reports, written and shown").isTrue();
        live = graph("?window=5m");
        return live;
    }

    @Test
    void jsonShowsResourcesConfiguredEdgesTrafficAndProxies() throws Exception {
        JsonNode graph = liveGraph();
        assertThat(graph.get("meshName").asString()).isEqualTo(mesh);
        assertThat(graph.get("window").asString()).isEqualTo("5m");
        assertThat(graph.get("windowSeconds").asLong()).isEqualTo(300);
        assertThat(Instant.parse(graph.get("generatedAt").asString())).isBetween(Instant.now().minusSeconds(30), Instant.now());

        List<String> ids = graph.get("nodes").valueStream().map(n -> n.get("id").asString()).toList();
        assertThat(ids).containsExactlyInAnyOrder("virtualService/course-service.mylearning.local",
                "virtualService/user-service.mylearning.local", "virtualService/users.mylearning.local",
                "virtualRouter/user-service-router", "virtualNode/analytics-service", "virtualNode/course-service",
                "virtualNode/" + ODD_NAME, "virtualNode/user-service-v1", "virtualNode/user-service-v2",
                "virtualGateway/web-gateway");
        JsonNode router = byId(graph.get("nodes"), "virtualRouter/user-service-router");
        assertThat(router.get("kind").asString()).isEqualTo("virtualRouter");
        assertThat(router.get("name").asString()).isEqualTo("user-service-router");

        JsonNode v2 = byId(graph.get("nodes"), "virtualNode/user-service-v2");
        assertThat(v2.at("/proxies/connected").asInt()).isEqualTo(1);
        assertThat(v2.at("/proxies/nacked").asInt()).as("the NACKed proxy, flagged").isEqualTo(1);
        assertThat(v2.at("/proxies/acked").asInt()).isZero();
        JsonNode rejecting = v2.at("/proxies/items/0");
        assertThat(rejecting.get("state").asString()).isEqualTo("nacked");
        assertThat(rejecting.get("kind").asString()).isEqualTo("sidecar");
        assertThat(rejecting.get("nodeId").asString()).isEqualTo("mesh/" + mesh + "/virtualNode/user-service-v2");
        assertThat(rejecting.get("userAgent").asString()).isEqualTo("envoy");
        assertThat(rejecting.at("/lastNack/message").asString()).isEqualTo("simulated rejection of user-service-v2");
        assertThat(rejecting.at("/lastNack/typeUrl").asString()).isEqualTo(AdsStream.CDS);
        assertThat(rejecting.has("translationError") && rejecting.get("translationError").isNull()).isTrue();
        assertThat(v2.at("/traffic/inbound/requests").asLong()).isEqualTo(10);

        JsonNode course = byId(graph.get("nodes"), "virtualNode/course-service");
        assertThat(course.at("/proxies/connected").asInt()).isEqualTo(1);
        assertThat(course.at("/proxies/acked").asInt()).isEqualTo(1);
        assertThat(course.at("/proxies/items/0/state").asString()).isEqualTo("acked");
        assertThat(course.at("/proxies/items/0/lastNack").isNull()).isTrue();
        assertThat(course.at("/traffic/outbound/requests").asLong()).isEqualTo(100);
        assertThat(course.at("/traffic/inbound/requests").asLong()).as("from the gateway").isEqualTo(40);
        JsonNode gateway = byId(graph.get("nodes"), "virtualGateway/web-gateway");
        assertThat(gateway.at("/proxies/acked").asInt()).isEqualTo(1);
        assertThat(gateway.at("/proxies/items/0/kind").asString()).isEqualTo("gateway");
        assertThat(byId(graph.get("nodes"), "virtualNode/user-service-v1").at("/proxies/connected").asInt())
                .as("the other mesh's user-service-v1 proxy is not this mesh's").isZero();
        assertThat(byId(graph.get("nodes"), "virtualService/user-service.mylearning.local").has("proxies")).isFalse();

        JsonNode edges = graph.get("edges");
        List<String> configured = edges.valueStream().filter(e -> !e.get("kind").asString().equals("traffic"))
                .map(e -> e.get("kind").asString() + " " + e.get("from").asString() + " -> " + e.get("to").asString()
                        + (e.has("weight") ? " " + e.get("weight").asInt() : "") + (e.has("port") ? " :" + e.get("port").asInt() : "")
                        + (e.has("route") ? " " + e.get("route").asString() : ""))
                .toList();
        assertThat(configured).containsExactlyInAnyOrder(
                "backend virtualNode/analytics-service -> virtualService/user-service.mylearning.local",
                "backend virtualNode/analytics-service -> virtualService/users.mylearning.local",
                "backend virtualNode/course-service -> virtualService/user-service.mylearning.local",
                "provider virtualService/course-service.mylearning.local -> virtualNode/course-service",
                "provider virtualService/user-service.mylearning.local -> virtualRouter/user-service-router",
                "provider virtualService/users.mylearning.local -> virtualRouter/user-service-router",
                "route virtualRouter/user-service-router -> virtualNode/user-service-v1 90 :8080 canary",
                "route virtualRouter/user-service-router -> virtualNode/user-service-v2 10 :8080 canary",
                "gatewayRoute virtualGateway/web-gateway -> virtualService/course-service.mylearning.local to-courses");
        assertThat(edges.valueStream().map(e -> e.get("id").asString()).distinct().count()).isEqualTo(edges.size());

        JsonNode toV1 = byId(edges, "traffic/virtualNode/course-service/virtualNode/user-service-v1/8080");
        assertThat(toV1.get("from").asString()).isEqualTo("virtualNode/course-service");
        assertThat(toV1.get("to").asString()).isEqualTo("virtualNode/user-service-v1");
        assertThat(toV1.get("via").asString()).isEqualTo("virtualService/user-service.mylearning.local");
        assertThat(toV1.get("port").asInt()).isEqualTo(8080);
        assertThat(toV1.at("/traffic/requests").asLong()).isEqualTo(90);
        assertThat(toV1.at("/traffic/errors").asLong()).isEqualTo(2);
        assertThat(toV1.get("health").asString()).as("2 errors in 90: from 1%").isEqualTo("degraded");
        JsonNode toV2 = byId(edges, "traffic/virtualNode/course-service/virtualNode/user-service-v2/8080");
        assertThat(toV2.get("health").asString()).as("3 errors in 10").isEqualTo("failing");
        assertThat(toV2.at("/traffic/errorRate").asDouble()).isEqualTo(0.3);
        assertThat(toV2.at("/traffic").has("latencyP99Millis")).isTrue();
        JsonNode ambiguous = byId(edges, "traffic/virtualNode/analytics-service/virtualNode/user-service-v1/8080");
        assertThat(ambiguous.has("via") && ambiguous.get("via").isNull()).as("two of its services lead to v1").isTrue();
        assertThat(ambiguous.get("health").asString()).isEqualTo("healthy");
        JsonNode fromGateway = byId(edges, "traffic/virtualGateway/web-gateway/virtualNode/course-service/8080");
        assertThat(fromGateway.get("via").asString()).as("its gateway route's service, provided by the node itself")
                .isEqualTo("virtualService/course-service.mylearning.local");
        assertThat(fromGateway.at("/traffic/requests").asLong()).isEqualTo(40);

        // the traffic API names the same virtual services on its edges
        JsonNode traffic = json(send("GET", "/v1/meshes/" + mesh + "/traffic?window=5m", null), 200);
        Map<String, String> services = new HashMap<>();
        traffic.get("edges").forEach(e -> services.put(e.at("/source/name").asString() + "->" + e.at("/destination/virtualNode").asString(),
                e.get("virtualService").isNull() ? null : e.get("virtualService").asString()));
        assertThat(services).containsEntry("course-service->user-service-v1", "user-service.mylearning.local")
                .containsEntry("course-service->user-service-v2", "user-service.mylearning.local")
                .containsEntry("analytics-service->user-service-v1", null)
                .containsEntry("web-gateway->course-service", "course-service.mylearning.local");
    }

    @Test
    void dotParsesToTheSameNodesAndEdges() throws Exception {
        JsonNode json = liveGraph();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/meshes/" + mesh + "/graph"))
                .header("Accept", "text/vnd.graphviz").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/vnd.graphviz"));
        assertThat(send("GET", "/v1/meshes/" + mesh + "/graph?format=dot", null).body()).startsWith("digraph");

        Graph<String, String> parsed = new DirectedPseudograph<>(null, null, false);
        Map<String, Map<String, Attribute>> nodeAttributes = new HashMap<>();
        Map<String, Map<String, Attribute>> edgeAttributes = new HashMap<>();
        DOTImporter<String, String> importer = new DOTImporter<>();
        importer.setVertexWithAttributesFactory((id, attributes) -> {
            nodeAttributes.put(id, attributes);
            return id;
        });
        importer.setEdgeWithAttributesFactory(attributes -> {
            String id = attributes.get("id").getValue();
            edgeAttributes.put(id, attributes);
            return id;
        });
        importer.importGraph(parsed, new StringReader(response.body()));

        Set<String> nodeIds = new HashSet<>();
        json.get("nodes").forEach(n -> nodeIds.add(n.get("id").asString()));
        assertThat(parsed.vertexSet()).as("every node, the odd name read back as it is").isEqualTo(nodeIds);
        assertThat(nodeAttributes.get("virtualNode/" + ODD_NAME).get("label").getValue())
                .isEqualTo(ODD_NAME + " (0 proxies)");
        assertThat(nodeAttributes.get("virtualNode/user-service-v2").get("label").getValue())
                .isEqualTo("user-service-v2 (1 proxy, 1 NACKed)");
        assertThat(nodeAttributes.get("virtualNode/user-service-v2").get("nacked").getValue()).isEqualTo("1");
        Set<String> edgeIds = new HashSet<>();
        json.get("edges").forEach(e -> {
            edgeIds.add(e.get("id").asString());
            String id = e.get("id").asString();
            assertThat(parsed.getEdgeSource(id)).as(id).isEqualTo(e.get("from").asString());
            assertThat(parsed.getEdgeTarget(id)).as(id).isEqualTo(e.get("to").asString());
            assertThat(edgeAttributes.get(id).get("kind").getValue()).isEqualTo(e.get("kind").asString());
        });
        assertThat(parsed.edgeSet()).isEqualTo(edgeIds);
        assertThat(edgeAttributes.get("route/user-service-router/canary/0").get("label").getValue()).isEqualTo("canary 90");
    }

    @Test
    void svgIsWellFormedWithOneElementPerNodeAndEdgeAndNoScript() throws Exception {
        JsonNode json = liveGraph();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/meshes/" + mesh + "/graph?window=1h"))
                .header("Accept", "image/svg+xml").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
        assertThat(response.body()).doesNotContain("<b>").contains("odd &lt;b&gt;&amp;amp");

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document svg = factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new StringReader(response.body())));
        assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(svg.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(svg.getElementsByTagNameNS("*", "script").getLength()).isZero();
        assertThat(response.body()).doesNotContainPattern("(?i)\\son[a-z]+=").doesNotContain("href");

        Map<String, Element> nodes = new HashMap<>();
        Map<String, Element> edges = new HashMap<>();
        NodeList groups = svg.getElementsByTagNameNS("*", "g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            String[] classes = g.getAttribute("class").split(" ");
            (classes[0].equals("node") ? nodes : edges).put(g.getAttribute("id"), g);
        }
        Set<String> nodeIds = new HashSet<>();
        json.get("nodes").forEach(n -> nodeIds.add(n.get("id").asString()));
        Set<String> edgeIds = new HashSet<>();
        json.get("edges").forEach(e -> edgeIds.add(e.get("id").asString()));
        assertThat(nodes.keySet()).isEqualTo(nodeIds);
        assertThat(edges.keySet()).isEqualTo(edgeIds);
        Element odd = nodes.get("virtualNode/" + ODD_NAME);
        assertThat(odd.getElementsByTagNameNS("*", "title").item(0).getTextContent()).isEqualTo("virtualNode " + ODD_NAME);
        assertThat(odd.getElementsByTagNameNS("*", "text").item(0).getTextContent()).isEqualTo(ODD_NAME);
        assertThat(nodes.get("virtualNode/user-service-v2").getAttribute("class")).isEqualTo("node virtualNode nacked");
        assertThat(edges.get("traffic/virtualNode/course-service/virtualNode/user-service-v2/8080").getAttribute("class"))
                .isEqualTo("edge traffic failing");
        for (Element edge : edges.values()) {
            assertThat(edge.getElementsByTagNameNS("*", "path").getLength()).as(edge.getAttribute("id")).isEqualTo(1);
        }
    }

    @Test
    void svgStaysWellFormedWithNamesHoldingWhatXmlDoesNotAllow() throws Exception {
        String other = uniqueName("graph-xml");
        String name = "nonchar \uFFFE\uFFFF end"; // a name the API takes; U+FFFE and U+FFFF are no XML characters
        appMesh.createMesh(r -> r.meshName(other));
        appMesh.createVirtualNode(r -> r.meshName(other).virtualNodeName(name).spec(Fixtures.node("nonchar.local")));
        HttpResponse<String> response = send("GET", "/v1/meshes/" + other + "/graph?format=svg", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document svg = factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new StringReader(response.body())));
        assertThat(svg.getDocumentElement().getTextContent()).contains("nonchar \uFFFD\uFFFD end");
    }

    @Test
    void aProxysOwnTextIsKeptShortWhereverItIsShown() throws Exception {
        String other = uniqueName("graph-nack");
        appMesh.createMesh(r -> r.meshName(other));
        appMesh.createVirtualNode(r -> r.meshName(other).virtualNodeName("noisy").spec(Fixtures.node("noisy.local")));
        String huge = "<script>alert(1)</script>\n".repeat(40_000); // a megabyte of the proxy's own words
        AdsStream ads = new AdsStream(xds.port());
        open.add(ads);
        ads.send(DiscoveryRequest.newBuilder().setNode(AdsStream.node("mesh/" + other + "/virtualNode/noisy").toBuilder()
                .setUserAgentName(huge)).setTypeUrl(AdsStream.CDS).build());
        DiscoveryResponse clusters = ads.next(20_000);
        assertThat(clusters).isNotNull();
        ads.send(DiscoveryRequest.newBuilder().setTypeUrl(AdsStream.CDS).setResponseNonce(clusters.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage(huge)).build());
        String path = "/v1/meshes/" + other + "/graph";
        assertThat(XdsClients.await(Duration.ofSeconds(20), () -> {
            try {
                return json(send("GET", path, null), 200).at("/nodes").valueStream()
                        .anyMatch(n -> n.at("/proxies/nacked").asInt() == 1);
            } catch (Exception | AssertionError e) {
                return false;
            }
        })).as("the NACK, recorded").isTrue();
        JsonNode noisy = byId(json(send("GET", path, null), 200).get("nodes"), "virtualNode/noisy").at("/proxies/items/0");
        String message = noisy.at("/lastNack/message").asString();
        assertThat(message).startsWith("<script>alert(1)</script>\n").endsWith("... (" + huge.length() + " characters)");
        assertThat(message.length()).isLessThan(4200);
        assertThat(noisy.get("userAgent").asString().length()).isLessThan(4200);
        assertThat(send("GET", "/v1/proxies", null).body().length()).as("the proxies list").isLessThan(100_000);
    }

    @Test
    void badFormatOrWindowIsA400NamingItAndAnUnknownMeshA404() throws Exception {
        seedShapedMesh();
        HttpResponse<String> format = send("GET", "/v1/meshes/" + mesh + "/graph?format=png", null);
        assertThat(format.statusCode()).isEqualTo(400);
        assertThat(format.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
        assertThat(format.body()).contains("format: 'png' is not one of json, dot, svg");
        HttpResponse<String> window = send("GET", "/v1/meshes/" + mesh + "/graph?window=7d", null);
        assertThat(window.statusCode()).isEqualTo(400);
        assertThat(window.body()).contains("window: must be a whole number of seconds, minutes or hours");
        assertThat(send("GET", "/v1/meshes/" + mesh + "/graph?window=2h", null).body()).contains("window: must be from");
        HttpResponse<String> missing = send("GET", "/v1/meshes/" + uniqueName("none") + "/graph", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("x-amzn-ErrorType")).hasValue("NotFoundException");
        HttpResponse<String> accept = http.send(HttpRequest.newBuilder(uri("/v1/meshes/" + mesh + "/graph?format=dot&window=x"))
                .header("Accept", "text/vnd.graphviz").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accept.statusCode()).isEqualTo(400);
    }
}
