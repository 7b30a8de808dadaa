package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.json.AppMeshJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps {@link AcceptedSpecs} from narrowing: in specs the API accepts (what the generator keeps), it must produce
 * every member of the App Mesh model that reaches translation and every value of each enum and boolean among them,
 * and Meshplane's own inputs (authorization policies, mTLS modes, tracing, registry instances), as listed in
 * {@code accepted-specs-members.txt}; and the combinations that make translation hard (several listeners with
 * {@code match.port} and target ports, router-provided backends, DNS discovery with health checks ...), listed in
 * {@link #CORNERS}. A member the generator stops producing, or one the API starts refusing always, fails here.
 */
class AcceptedSpecsCoverageTest {

    private static final JsonMapper JSON = AppMeshJson.mapper();
    /** At most this many meshes are drawn; drawing stops once every member and corner has been seen. */
    private static final int MESHES = 5000;
    private static final Set<String> SEEN = new TreeSet<>();
    private static final Set<String> CORNERS_SEEN = new TreeSet<>();
    private static List<String> expected;
    private static int drawn;

    /** Combinations of accepted inputs the property test must meet, each as a test on one generated mesh. */
    private static final Map<String, Predicate<MeshJson>> CORNERS = new LinkedHashMap<>();

    static {
        CORNERS.put("a virtual node with listeners of two protocols", m -> m.nodes().anyMatch(n -> protocols(n) > 1));
        CORNERS.put("a virtual router with several listeners", m -> m.routers().anyMatch(r -> count(r.path("listeners")) > 1));
        CORNERS.put("a virtual gateway with several listeners", m -> m.gateways().anyMatch(g -> count(g.path("listeners")) > 1));
        CORNERS.put("a route with match.port on a router with several listeners", m -> m.routesWith(
                (router, route) -> count(router.path("listeners")) > 1 && route(route).path("match").has("port")));
        CORNERS.put("a tcp route with match.port", m -> m.routesWith((router, route) -> route.path("tcpRoute").path("match")
                .has("port")));
        CORNERS.put("a weighted target with a port on a node with several listeners", m -> m.routesWith(
                (router, route) -> stream(route(route).path("action").path("weightedTargets")).anyMatch(t -> t.has("port")
                        && count(m.node(t.path("virtualNode").asString()).path("listeners")) > 1)));
        CORNERS.put("a route with several weighted targets", m -> m.routesWith((router, route) -> count(route(route)
                .path("action").path("weightedTargets")) > 2));
        CORNERS.put("two routes of one router with different priorities", m -> m.routesByRouter().values().stream().anyMatch(
                routes -> routes.stream().map(r -> r.path("priority").asInt(-1)).filter(p -> p >= 0).distinct().count() > 1));
        CORNERS.put("a route with ten header matches", m -> m.routesWith((router, route) -> count(route(route).path("match")
                .path("headers")) == 10));
        CORNERS.put("a gRPC route with ten metadata matches", m -> m.routesWith((router, route) -> count(route
                .path("grpcRoute").path("match").path("metadata")) == 10));
        CORNERS.put("a gateway route with match.port on a gateway with several listeners", m -> m.gatewayRoutesWith(
                (gateway, route) -> count(gateway.path("listeners")) > 1 && route(route).path("match").has("port")));
        CORNERS.put("a gateway route with target.port", m -> m.gatewayRoutesWith((gateway, route) -> route(route)
                .path("action").path("target").has("port")));
        CORNERS.put("a gateway route to a router-provided service", m -> m.gatewayRoutesWith((gateway, route) -> m
                .service(route(route).path("action").path("target").path("virtualService").path("virtualServiceName")
                        .asString()).path("provider").has("virtualRouter")));
        CORNERS.put("a gateway route with a host name, headers and a rewrite", m -> m.gatewayRoutesWith((gateway, route) ->
                route(route).path("match").has("hostname") && route(route).path("match").has("headers")
                && route(route).path("action").has("rewrite")));
        CORNERS.put("a node with a backend provided by a router", m -> m.nodes().anyMatch(n -> stream(n.path("backends"))
                .anyMatch(b -> m.service(b.path("virtualService").path("virtualServiceName").asString())
                        .path("provider").has("virtualRouter"))));
        CORNERS.put("a node with a backend client policy and backend defaults", m -> m.nodes().anyMatch(n ->
                n.has("backendDefaults") && stream(n.path("backends")).anyMatch(b -> b.path("virtualService").has("clientPolicy"))));
        CORNERS.put("a DNS-discovered node with a health check on a port", m -> m.nodes().anyMatch(n ->
                n.path("serviceDiscovery").has("dns") && stream(n.path("listeners")).anyMatch(l -> l.path("healthCheck").has("port"))));
        CORNERS.put("a Cloud Map node with registered instances", m -> m.view.virtualNodes().values().stream().anyMatch(n ->
                n.serviceDiscovery() != null && n.serviceDiscovery().awsCloudMap() != null && m.view.instances().get(
                        new MeshView.ServiceKey(n.serviceDiscovery().awsCloudMap().namespaceName(),
                                n.serviceDiscovery().awsCloudMap().serviceName())) != null
                && !m.view.instances().get(new MeshView.ServiceKey(n.serviceDiscovery().awsCloudMap().namespaceName(),
                        n.serviceDiscovery().awsCloudMap().serviceName())).isEmpty()));
        CORNERS.put("a node with STRICT listener TLS in a mesh with STRICT mTLS", m -> m.view.mtls().name().equals("STRICT")
                && m.nodes().anyMatch(n -> stream(n.path("listeners")).anyMatch(l -> l.path("tls").path("mode").asString()
                        .equals("STRICT"))));
        CORNERS.put("a listener with timeout, outlier detection, connection pool and health check", m -> m.nodes().anyMatch(
                n -> stream(n.path("listeners")).anyMatch(l -> l.has("timeout") && l.has("outlierDetection")
                        && l.has("connectionPool") && l.has("healthCheck"))));
        CORNERS.put("an authorization policy on a node that is a route's target", m -> !m.view.authorizationPolicies().isEmpty()
                && m.routesWith((router, route) -> true));
        CORNERS.put("a gateway and a node both logging in JSON", m -> m.gateways().anyMatch(g -> g.path("logging")
                .path("accessLog").path("file").path("format").has("json")) && m.nodes().anyMatch(n -> n.path("logging")
                .path("accessLog").path("file").path("format").has("json")));
    }

    /** One generated mesh as JSON trees, with its routes by router and gateway routes by gateway. */
    record MeshJson(MeshView view, Map<String, JsonNode> nodeSpecs, Map<String, JsonNode> serviceSpecs,
            Map<String, JsonNode> routerSpecs, Map<String, List<JsonNode>> routesByRouter, Map<String, JsonNode> gatewaySpecs,
            Map<String, List<JsonNode>> gatewayRoutes) {

        static MeshJson of(MeshView view) {
            Map<String, List<JsonNode>> routes = new LinkedHashMap<>();
            view.virtualRouters().keySet().forEach(r -> routes.put(r, view.routes().getOrDefault(r, Map.of()).values()
                    .stream().map(s -> (JsonNode) JSON.valueToTree(s)).toList()));
            Map<String, List<JsonNode>> gatewayRoutes = new LinkedHashMap<>();
            view.virtualGateways().keySet().forEach(g -> gatewayRoutes.put(g, view.gatewayRoutes().getOrDefault(g, Map.of())
                    .values().stream().map(s -> (JsonNode) JSON.valueToTree(s)).toList()));
            return new MeshJson(view, trees(view.virtualNodes()), trees(view.virtualServices()),
                    trees(view.virtualRouters()), routes, trees(view.virtualGateways()), gatewayRoutes);
        }

        java.util.stream.Stream<JsonNode> nodes() {
            return nodeSpecs.values().stream();
        }

        java.util.stream.Stream<JsonNode> routers() {
            return routerSpecs.values().stream();
        }

        java.util.stream.Stream<JsonNode> gateways() {
            return gatewaySpecs.values().stream();
        }

        JsonNode node(String name) {
            return nodeSpecs.getOrDefault(name, JSON.createObjectNode());
        }

        JsonNode service(String name) {
            return serviceSpecs.getOrDefault(name, JSON.createObjectNode());
        }

        boolean routesWith(java.util.function.BiPredicate<JsonNode, JsonNode> test) {
            return routesByRouter.entrySet().stream().anyMatch(e -> e.getValue().stream()
                    .anyMatch(r -> test.test(routerSpecs.get(e.getKey()), r)));
        }

        boolean gatewayRoutesWith(java.util.function.BiPredicate<JsonNode, JsonNode> test) {
            return gatewayRoutes.entrySet().stream().anyMatch(e -> e.getValue().stream()
                    .anyMatch(r -> test.test(gatewaySpecs.get(e.getKey()), r)));
        }
    }

    @BeforeAll
    static void generate() throws IOException {
        try (InputStream in = AcceptedSpecsCoverageTest.class.getResourceAsStream("/accepted-specs-members.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
        Random random = new Random(20261130);
        while (drawn < MESHES && !(SEEN.containsAll(expected) && CORNERS_SEEN.containsAll(CORNERS.keySet()))) {
            drawn++;
            MeshView view = AcceptedSpecs.generate(random).view();
            MeshJson mesh = MeshJson.of(view);
            CORNERS.forEach((corner, test) -> {
                if (!CORNERS_SEEN.contains(corner) && test.test(mesh)) {
                    CORNERS_SEEN.add(corner);
                }
            });
            walk("MeshSpec", JSON.valueToTree(view.spec()));
            view.virtualNodes().values().forEach(s -> walk("VirtualNodeSpec", JSON.valueToTree(s)));
            view.virtualServices().values().forEach(s -> walk("VirtualServiceSpec", JSON.valueToTree(s)));
            view.virtualRouters().values().forEach(s -> walk("VirtualRouterSpec", JSON.valueToTree(s)));
            view.routes().values().forEach(m -> m.values().forEach(s -> walk("RouteSpec", JSON.valueToTree(s))));
            view.virtualGateways().values().forEach(s -> walk("VirtualGatewaySpec", JSON.valueToTree(s)));
            view.gatewayRoutes().values().forEach(m -> m.values().forEach(s -> walk("GatewayRouteSpec", JSON.valueToTree(s))));
            view.authorizationPolicies().values().forEach(s -> walk("AuthorizationPolicySpec", JSON.valueToTree(s)));
            if (view.tracing() != null) {
                walk("TracingSpec", JSON.valueToTree(view.tracing()));
            }
            SEEN.add("MeshView.mtls=" + view.mtls().name());
            SEEN.add("MeshView.tracing=" + (view.tracing() == null ? "off" : "on"));
            view.instances().values().forEach(list -> list.forEach(instance -> instance.attributes().keySet()
                    .forEach(key -> SEEN.add("Instance." + key))));
        }
    }

    @Test
    void everyMemberThatReachesTranslationIsGeneratedInAcceptedSpecs() {
        assertThat(expected).as("the list's size (the model's members reaching translation and Meshplane's own)")
                .hasSizeGreaterThan(400);
        assertThat(expected.stream().filter(member -> !SEEN.contains(member)).toList())
                .as("members or values never generated in accepted specs of %d meshes", drawn).isEmpty();
    }

    @Test
    void everyHardCornerIsGenerated() {
        assertThat(CORNERS.keySet().stream().filter(corner -> !CORNERS_SEEN.contains(corner)).toList())
                .as("combinations never generated in %d meshes", drawn).isEmpty();
    }

    /** Every leaf's path (lists as {@code []}), and {@code path=value} for booleans and enum-like words. */
    private static void walk(String path, JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isObject()) {
            node.properties().forEach(e -> walk(path + "." + e.getKey(), e.getValue()));
        } else if (node.isArray()) {
            node.forEach(n -> walk(path + "[]", n));
        } else {
            SEEN.add(path);
            String value = node.asString();
            if (node.isBoolean() || value.matches("[A-Za-z0-9_*-]{1,24}")) {
                SEEN.add(path + "=" + value);
            }
        }
    }

    private static Map<String, JsonNode> trees(Map<String, ?> specs) {
        Map<String, JsonNode> trees = new LinkedHashMap<>();
        specs.forEach((name, spec) -> trees.put(name, JSON.valueToTree(spec)));
        return trees;
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static int count(JsonNode array) {
        return array.isArray() ? array.size() : 0;
    }

    private static long protocols(JsonNode node) {
        return stream(node.path("listeners")).map(l -> l.path("portMapping").path("protocol").asString()).distinct().count();
    }

    /** The one route kind a route or gateway route spec holds. */
    private static JsonNode route(JsonNode spec) {
        for (String kind : new String[] {"httpRoute", "http2Route", "grpcRoute", "tcpRoute"}) {
            if (spec.has(kind)) {
                return spec.path(kind);
            }
        }
        return JSON.createObjectNode();
    }
}
