package dev.meshplane.controlplane.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.MeshSpec;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualRouterSpec;
import dev.meshplane.api.security.MtlsMode;
import dev.meshplane.controlplane.graph.ServiceGraph.ConfiguredEdge;
import dev.meshplane.controlplane.graph.ServiceGraph.Edge;
import dev.meshplane.controlplane.graph.ServiceGraph.Node;
import dev.meshplane.controlplane.traffic.TrafficReport.Figures;
import dev.meshplane.controlplane.xds.ProxyStatusTracker.Nack;
import dev.meshplane.controlplane.xds.ProxyStatusTracker.ProxyStatus;
import dev.meshplane.snapshot.MeshView;
import dev.meshplane.snapshot.ProxyId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The graph's documented rules at their edges: health by error rate, a proxy's state by what it was sent and accepted. */
class GraphRulesTest {

    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

    private static Figures finished(long successful, long errors) {
        return new Figures(successful + errors, successful, errors, 1, (double) successful / (successful + errors),
                (double) errors / (successful + errors), 0, null, null, null);
    }

    @Test
    void healthIsHealthyBelowOnePercentDegradedBelowTenFailingFromTenIdleWhenNothingFinished() {
        assertThat(ServiceGraphBuilder.health(Figures.NONE)).isEqualTo("idle");
        assertThat(ServiceGraphBuilder.health(finished(1000, 0))).isEqualTo("healthy");
        assertThat(ServiceGraphBuilder.health(finished(1001, 9))).as("0.9%").isEqualTo("healthy");
        assertThat(ServiceGraphBuilder.health(finished(99, 1))).as("1%").isEqualTo("degraded");
        assertThat(ServiceGraphBuilder.health(finished(1001, 99))).as("9.9%").isEqualTo("degraded");
        assertThat(ServiceGraphBuilder.health(finished(9, 1))).as("10%").isEqualTo("failing");
        assertThat(ServiceGraphBuilder.health(finished(0, 5))).isEqualTo("failing");
    }

    private static ProxyStatus status(Map<String, String> sent, Map<String, String> acked, Nack nack) {
        return new ProxyStatus(1, "mesh/m/virtualNode/web", new ProxyId("m", ProxyId.Kind.SIDECAR, "web"), "envoy",
                Instant.now(), sent, acked, nack, sent.size());
    }

    @Test
    void aProxyIsNackedWhileItWasLastSentWhatItRejectedPendingUntilItAcceptsEveryTypeAckedThen() {
        Nack rejected = new Nack(CDS, "v2", "bad cluster", Instant.now());
        assertThat(ServiceGraphBuilder.state(status(Map.of(), Map.of(), null))).as("nothing sent yet").isEqualTo("pending");
        assertThat(ServiceGraphBuilder.state(status(Map.of(CDS, "v1", LDS, "v1"), Map.of(CDS, "v1"), null)))
                .as("listeners not accepted yet").isEqualTo("pending");
        assertThat(ServiceGraphBuilder.state(status(Map.of(CDS, "v1", LDS, "v1"), Map.of(CDS, "v1", LDS, "v1"), null)))
                .isEqualTo("acked");
        assertThat(ServiceGraphBuilder.state(status(Map.of(CDS, "v2", LDS, "v1"), Map.of(CDS, "v1", LDS, "v1"), rejected)))
                .as("still holding v1, v2 rejected").isEqualTo("nacked");
        assertThat(ServiceGraphBuilder.state(status(Map.of(CDS, "v3", LDS, "v1"), Map.of(CDS, "v1", LDS, "v1"), rejected)))
                .as("a fixed v3 sent since, not answered yet").isEqualTo("pending");
        assertThat(ServiceGraphBuilder.state(status(Map.of(CDS, "v3", LDS, "v1"), Map.of(CDS, "v3", LDS, "v1"), rejected)))
                .as("v3 accepted: the old NACK no longer describes it").isEqualTo("acked");
    }

    /**
     * A route edge says which route shadows it (issue 12: a catch-all of priority 0 before a /chapter route of
     * priority 5), as /v1/proxies does, and its label in DOT and SVG says so; a route nobody shadows carries nothing.
     */
    @Test
    void aShadowedRouteEdgeNamesTheRouteThatShadowsIt() throws Exception {
        var json = AppMeshJson.mapper();
        String target = "\"action\": {\"weightedTargets\": [{\"virtualNode\": \"a\", \"weight\": 1}]}";
        Map<String, RouteSpec> routes = Map.of(
                "catch-all", json.readValue("{\"priority\": 0, \"httpRoute\": {\"match\": {\"prefix\": \"/\"}, " + target + "}}",
                        RouteSpec.class),
                "chapter", json.readValue("{\"priority\": 5, \"httpRoute\": {\"match\": {\"prefix\": \"/chapter\"}, " + target
                        + "}}", RouteSpec.class));
        String listener = "{\"listeners\": [{\"portMapping\": {\"port\": 8080, \"protocol\": \"http\"}}]}";
        MeshView view = new MeshView("m", 1, new MeshSpec(null, null), Map.of(),
                Map.of("a", json.readValue(listener.replace("]}", "], \"serviceDiscovery\": {\"dns\": {\"hostname\": \"a.local\"}}}"),
                        VirtualNodeSpec.class)),
                Map.of("router", json.readValue(listener, VirtualRouterSpec.class)), Map.of("router", routes), Map.of(),
                Map.of(), Map.of(), MtlsMode.DISABLED);
        Map<String, Node> nodes = new LinkedHashMap<>();
        nodes.put("virtualRouter/router", new Node("virtualRouter/router", ServiceGraph.VIRTUAL_ROUTER, "router", null, null));
        nodes.put("virtualNode/a", new Node("virtualNode/a", ServiceGraph.VIRTUAL_NODE, "a", null, null));
        List<Edge> edges = new ArrayList<>();
        ServiceGraphBuilder.configuredEdges(view, nodes, edges);
        assertThat(edges).extracting(e -> ((ConfiguredEdge) e).route() + " " + ((ConfiguredEdge) e).shadowedBy())
                .containsExactly("catch-all null", "chapter catch-all");
        assertThat(edges).extracting(GraphStyle::label).containsExactly("catch-all 1", "chapter 1, shadowed by catch-all");
    }
}
