package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.snapshot.MeshView.Instance;
import dev.meshplane.snapshot.MeshView.ServiceKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Which proxies a change can affect, read from what their configuration is made of. */
class DependenciesTest {

    private static MeshView seed() throws Exception {
        JsonNode input = JsonMapper.builder().build().readTree(GoldenTest.IN.resolve("mylearning-sidecar-course-service.json").toFile());
        return GoldenTest.view(input);
    }

    private static MeshView withRoutes(MeshView view, Map<String, Map<String, RouteSpec>> routes) {
        return new MeshView(view.mesh(), view.revision() + 1, view.spec(), view.virtualServices(), view.virtualNodes(),
                view.virtualRouters(), routes, view.virtualGateways(), view.gatewayRoutes(), view.instances());
    }

    @Test
    void aProxyDependsOnItsNodeItsBackendsAndTheirTargets() throws Exception {
        Set<String> course = Dependencies.of(seed(), new ProxyId("mylearning-prod-mesh", ProxyId.Kind.SIDECAR, "course-service-v1"));
        assertThat(course).contains("mesh", "node:course-service-v1", "service:user-service.mylearning.local",
                "router:user-service-router", "route:user-service-router/user-service-route", "node:user-service-v2",
                "registry:mylearning.local/user-service", "service:assessment-service.mylearning.local",
                "node:assessment-service-v1");
        assertThat(course).doesNotContain("node:analytics-service-v1", "service:analytics-service.mylearning.local");
    }

    /** Found by AcceptedSpecsPropertyTest: a caller of a node without listeners kept its empty configuration. */
    @Test
    void aProviderWithoutListenersIsAnInputOfItsCallers() throws Exception {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {"web": {"backends": [{"virtualService": {"virtualServiceName": "orders.local"}}]},
                                  "orders": {"serviceDiscovery": {"dns": {"hostname": "orders.internal"}}}},
                 "virtualServices": {"orders.local": {"provider": {"virtualNode": {"virtualNodeName": "orders"}}}}}
                """;
        MeshView before = GoldenTest.view(JsonMapper.builder().build().readTree(json));
        MeshView after = GoldenTest.view(JsonMapper.builder().build().readTree(json.replace(
                "\"orders\": {\"serviceDiscovery\"",
                "\"orders\": {\"listeners\": [{\"portMapping\": {\"port\": 8080, \"protocol\": \"http\"}}],"
                        + " \"serviceDiscovery\"")));
        ProxyId web = new ProxyId("m", ProxyId.Kind.SIDECAR, "web");
        assertThat(MeshTranslator.translate(after, web)).isNotEqualTo(MeshTranslator.translate(before, web));
        assertThat(Dependencies.changed(before, after)).containsExactly("node:orders");
        assertThat(Dependencies.of(before, web)).contains("node:orders");
    }

    /** Found by AcceptedSpecsPropertyTest: a route's target that routing reached on no port was no input of the callers. */
    @Test
    void everyRouteTargetIsAnInputOfTheRoutersCallers() throws Exception {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {"web": {"backends": [{"virtualService": {"virtualServiceName": "orders.local"}}]},
                                  "v1": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
                                         "serviceDiscovery": {"dns": {"hostname": "v1.internal"}}},
                                  "v2": {"serviceDiscovery": {"dns": {"hostname": "v2.internal"}}}},
                 "virtualRouters": {"r": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]}},
                 "routes": {"r": {"split": {"httpRoute": {"match": {"prefix": "/"}, "action": {"weightedTargets": [
                   {"virtualNode": "v1", "weight": 90}, {"virtualNode": "v2", "weight": 10}]}}}}},
                 "virtualServices": {"orders.local": {"provider": {"virtualRouter": {"virtualRouterName": "r"}}}}}
                """;
        MeshView before = GoldenTest.view(JsonMapper.builder().build().readTree(json));
        MeshView after = GoldenTest.view(JsonMapper.builder().build().readTree(json.replace(
                "\"v2\": {\"serviceDiscovery\"",
                "\"v2\": {\"listeners\": [{\"portMapping\": {\"port\": 8080, \"protocol\": \"http\"}}],"
                        + " \"serviceDiscovery\"")));
        ProxyId web = new ProxyId("m", ProxyId.Kind.SIDECAR, "web");
        assertThat(MeshTranslator.translate(after, web)).isNotEqualTo(MeshTranslator.translate(before, web));
        assertThat(Dependencies.changed(before, after)).containsExactly("node:v2");
        assertThat(Dependencies.of(before, web)).contains("node:v2");
    }

    /**
     * Found by AcceptedSpecsPropertyTest once it generated names with a '/' (App Mesh allows them): a route added to
     * router 'r/1' marked router 'r' changed, so the callers of 'r/1' kept their configuration without the route; and
     * router 'a/b' route 'c' and router 'a' route 'b/c' were one key.
     */
    @Test
    void namesWithASlashAreKeptApart() throws Exception {
        String json = """
                {"mesh": "m",
                 "virtualNodes": {"web": {"backends": [{"virtualService": {"virtualServiceName": "orders.local"}}]},
                                  "v1": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
                                         "serviceDiscovery": {"dns": {"hostname": "v1.internal"}}}},
                 "virtualRouters": {"r/1": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]}},
                 "routes": {"r/1": {}},
                 "virtualServices": {"orders.local": {"provider": {"virtualRouter": {"virtualRouterName": "r/1"}}}}}
                """;
        MeshView before = GoldenTest.view(JsonMapper.builder().build().readTree(json));
        MeshView after = GoldenTest.view(JsonMapper.builder().build().readTree(json.replace("\"routes\": {\"r/1\": {}}",
                "\"routes\": {\"r/1\": {\"all\": {\"httpRoute\": {\"match\": {\"prefix\": \"/\"}, \"action\":"
                        + " {\"weightedTargets\": [{\"virtualNode\": \"v1\", \"weight\": 1}]}}}}}")));
        ProxyId web = new ProxyId("m", ProxyId.Kind.SIDECAR, "web");
        assertThat(MeshTranslator.translate(after, web)).isNotEqualTo(MeshTranslator.translate(before, web));
        Set<String> changed = Dependencies.changed(before, after);
        assertThat(changed).contains("router:r/1");
        assertThat(Dependencies.of(before, web)).anyMatch(changed::contains);

        RouteSpec route = AppMeshJson.mapper().readValue("{\"httpRoute\":{\"match\":{\"prefix\":\"/\"},"
                + "\"action\":{\"weightedTargets\":[{\"virtualNode\":\"v1\",\"weight\":1}]}}}", RouteSpec.class);
        MeshView two = withRoutes(before, Map.of("a/b", Map.of("c", route), "a", Map.of("b/c", route)));
        MeshView one = withRoutes(before, Map.of("a/b", Map.of("c", route), "a", Map.of()));
        assertThat(Dependencies.changed(two, one)).contains("router:a").doesNotContain("router:a/b");
    }

    @Test
    void aChangeNamesWhatItTouched() throws Exception {
        MeshView before = seed();
        Map<String, Map<String, RouteSpec>> routes = new HashMap<>(before.routes());
        Map<String, RouteSpec> userRoutes = new HashMap<>(routes.get("user-service-router"));
        userRoutes.put("new-route", AppMeshJson.mapper().readValue("{\"httpRoute\":{\"match\":{\"prefix\":\"/new\"},"
                + "\"action\":{\"weightedTargets\":[{\"virtualNode\":\"user-service-v1\",\"weight\":1}]}}}", RouteSpec.class));
        routes.put("user-service-router", userRoutes);
        MeshView after = withRoutes(before, routes);
        assertThat(Dependencies.changed(before, after)).containsExactlyInAnyOrder(
                "route:user-service-router/new-route", "router:user-service-router");
        assertThat(Dependencies.changed(before, before)).isEmpty();
        assertThat(Dependencies.changed(null, before)).containsExactly("mesh");

        Map<ServiceKey, List<Instance>> instances = new HashMap<>(before.instances());
        instances.put(new ServiceKey("mylearning.local", "analytics-service"),
                List.of(new Instance("a-1", Map.of("AWS_INSTANCE_IPV4", "10.9.9.9"))));
        MeshView moreInstances = new MeshView(before.mesh(), 2, before.spec(), before.virtualServices(), before.virtualNodes(),
                before.virtualRouters(), before.routes(), before.virtualGateways(), before.gatewayRoutes(), instances);
        assertThat(Dependencies.changed(before, moreInstances)).containsExactly("registry:mylearning.local/analytics-service");
    }

    private static MeshView strict() throws Exception {
        return GoldenTest.view(JsonMapper.builder().build().readTree(
                GoldenTest.IN.resolve("rbac-strict-backends-and-policies.json").toFile()));
    }

    private static boolean rebuilds(MeshView before, MeshView after, String node) {
        Set<String> changed = Dependencies.changed(before, after);
        return Dependencies.of(before, new ProxyId(before.mesh(), ProxyId.Kind.SIDECAR, node)).stream().anyMatch(changed::contains);
    }

    @Test
    void withMtlsStrictANewCallerRebuildsTheNodesItMayNowCall() throws Exception {
        MeshView before = strict();
        Map<String, dev.meshplane.api.model.VirtualNodeSpec> nodes = new HashMap<>(before.virtualNodes());
        nodes.put("reporting", AppMeshJson.mapper().readValue("{\"backends\":[{\"virtualService\":{\"virtualServiceName\":"
                + "\"course-service.mylearning.local\"}},{\"virtualService\":{\"virtualServiceName\":"
                + "\"user-service.mylearning.local\"}}]}", dev.meshplane.api.model.VirtualNodeSpec.class));
        MeshView after = new MeshView(before.mesh(), before.revision() + 1, before.spec(), before.virtualServices(), nodes,
                before.virtualRouters(), before.routes(), before.virtualGateways(), before.gatewayRoutes(), before.instances(),
                before.mtls(), before.authorizationPolicies());
        assertThat(rebuilds(before, after, "user-service-v1")).as("reporting may now call user-service-v1").isTrue();
        assertThat(rebuilds(before, after, "user-service-v2")).isTrue();
        assertThat(rebuilds(before, after, "course-service")).as("its callers did not change").isFalse();
    }

    private static MeshView withPolicies(MeshView view, Map<String, dev.meshplane.api.security.AuthorizationPolicySpec> policies) {
        return new MeshView(view.mesh(), view.revision() + 1, view.spec(), view.virtualServices(), view.virtualNodes(),
                view.virtualRouters(), view.routes(), view.virtualGateways(), view.gatewayRoutes(), view.instances(), view.mtls(),
                policies);
    }

    @Test
    void aPolicyChangeRebuildsTheNodesItTargets() throws Exception {
        MeshView before = strict();
        Map<String, dev.meshplane.api.security.AuthorizationPolicySpec> policies = new HashMap<>(before.authorizationPolicies());
        policies.put("no-admin", AppMeshJson.mapper().readValue("{\"targets\":{\"virtualNodes\":[\"user-service-v1\"]},"
                + "\"action\":\"DENY\",\"rules\":[{\"to\":{\"prefixes\":[\"/admin\",\"/internal\"]}}]}",
                dev.meshplane.api.security.AuthorizationPolicySpec.class));
        MeshView after = withPolicies(before, policies);
        assertThat(Dependencies.changed(before, after)).doesNotContain(Dependencies.MESH);
        assertThat(rebuilds(before, after, "user-service-v1")).isTrue();
        assertThat(rebuilds(before, after, "user-service-v2")).as("no longer a target").isTrue();
        assertThat(rebuilds(before, after, "course-service")).as("never a target").isFalse();
        assertThat(Dependencies.of(before, new ProxyId(before.mesh(), ProxyId.Kind.GATEWAY, "mylearning-ingress")).stream()
                .anyMatch(Dependencies.changed(before, after)::contains)).as("gateways have no policies").isFalse();

        policies.put("reads-only-from-gateway", AppMeshJson.mapper().readValue("{\"targets\":{\"virtualNodes\":[\"*\"]},"
                + "\"action\":\"ALLOW\",\"rules\":[{\"from\":{\"anyMeshIdentity\":true}}]}",
                dev.meshplane.api.security.AuthorizationPolicySpec.class));
        MeshView everyNode = withPolicies(before, policies);
        assertThat(rebuilds(before, everyNode, "course-service")).as("a policy for every node").isTrue();
    }
}
