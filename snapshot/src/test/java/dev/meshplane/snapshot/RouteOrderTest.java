package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routes without a priority, or of equal priority, are not evaluated by name: App Mesh matches the longest
 * prefix ("a request is matched to the route with the longest prefix", its user guide on gateway routes), so a
 * catch-all '/' named first alphabetically no longer hides every other route of its router or gateway.
 */
class RouteOrderTest {

    private static final String MESH = """
            {"mesh": "m",
             "virtualNodes": {
               "client": {"backends": [{"virtualService": {"virtualServiceName": "svc.local"}}]},
               "a": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
                     "serviceDiscovery": {"dns": {"hostname": "a.local"}}},
               "b": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
                     "serviceDiscovery": {"dns": {"hostname": "b.local"}}}},
             "virtualServices": {"svc.local": {"provider": {"virtualRouter": {"virtualRouterName": "router"}}}},
             "virtualRouters": {"router": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]}},
             "routes": {"router": {
               "a-root": {"httpRoute": {"match": {"prefix": "/"},
                          "action": {"weightedTargets": [{"virtualNode": "a", "weight": 1}]}}},
               "b-chapter": {"httpRoute": {"match": {"prefix": "/chapter"},
                          "action": {"weightedTargets": [{"virtualNode": "b", "weight": 1}]}}},
               "c-chapter-beta": {"httpRoute": {"match": {"prefix": "/chapter", "headers": [{"name": "x-beta"}]},
                          "action": {"weightedTargets": [{"virtualNode": "a", "weight": 1}]}}},
               "d-exact": {"httpRoute": {"match": {"path": {"exact": "/chapter"}},
                          "action": {"weightedTargets": [{"virtualNode": "a", "weight": 1}]}}},
               "e-regex": {"httpRoute": {"match": {"path": {"regex": "/v[0-9]+/.*"}},
                          "action": {"weightedTargets": [{"virtualNode": "b", "weight": 1}]}}},
               "z-first": {"priority": 0, "httpRoute": {"match": {"prefix": "/"},
                          "action": {"weightedTargets": [{"virtualNode": "b", "weight": 1}]}}}}},
             "virtualGateways": {"gw": {"listeners": [{"portMapping": {"port": 8443, "protocol": "http"}}]}},
             "gatewayRoutes": {"gw": {
               "a-root": {"httpRoute": {"match": {"prefix": "/"},
                          "action": {"target": {"virtualService": {"virtualServiceName": "svc.local"}}}}},
               "b-chapter": {"httpRoute": {"match": {"prefix": "/chapter/"},
                          "action": {"target": {"virtualService": {"virtualServiceName": "svc.local"}}}}}}}}
            """;

    @Test
    void routesGoByPriorityThenLongestMatchThenConditions() {
        MeshView view = GoldenTest.view(JsonMapper.builder().build().readTree(MESH));
        RouteConfiguration config = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.SIDECAR, "client"))
                .routes().get(0);
        assertThat(config.getVirtualHosts(0).getRoutesList()).extracting(Route::getName)
                .containsExactly("z-first", "d-exact", "c-chapter-beta", "b-chapter", "e-regex", "a-root");
    }

    @Test
    void gatewayRoutesGoByTheLongestPrefix() {
        MeshView view = GoldenTest.view(JsonMapper.builder().build().readTree(MESH));
        List<Route> routes = MeshTranslator.translate(view, new ProxyId("m", ProxyId.Kind.GATEWAY, "gw"))
                .routes().get(0).getVirtualHosts(0).getRoutesList();
        assertThat(routes.get(0).getName()).startsWith("b-chapter/");
        assertThat(routes.get(routes.size() - 1).getName()).startsWith("a-root/");
    }
}
