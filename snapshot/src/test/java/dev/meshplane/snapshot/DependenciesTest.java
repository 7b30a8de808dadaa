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
}
