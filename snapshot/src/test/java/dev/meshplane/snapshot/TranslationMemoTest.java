package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.MeshSpec;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.snapshot.MeshView.Instance;
import dev.meshplane.snapshot.MeshView.ServiceKey;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What a memo carries from one view of a mesh to the next, and that carrying never changes a result. */
class TranslationMemoTest {

    private static final ProxyId COURSE = new ProxyId("mylearning-prod-mesh", ProxyId.Kind.SIDECAR, "course-service-v1");

    private static MeshView seed() throws Exception {
        return GoldenTest.view(JsonMapper.builder().build().readTree(
                GoldenTest.IN.resolve("mylearning-sidecar-course-service.json").toFile()));
    }

    /** The same content as a later revision: a view the publisher reads again after a change elsewhere. */
    private static MeshView again(MeshView view, long revision) {
        return new MeshView(view.mesh(), revision, view.spec(), view.virtualServices(), view.virtualNodes(),
                view.virtualRouters(), view.routes(), view.virtualGateways(), view.gatewayRoutes(), view.instances(),
                view.mtls(), view.authorizationPolicies());
    }

    /** The seed with user-service's main route moved to 50/50. */
    private static MeshView reweighted(MeshView before) throws Exception {
        Map<String, Map<String, RouteSpec>> routes = new HashMap<>(before.routes());
        Map<String, RouteSpec> userRoutes = new HashMap<>(routes.get("user-service-router"));
        userRoutes.put("user-service-route", AppMeshJson.mapper().readValue("""
                {"priority":10,"httpRoute":{"match":{"prefix":"/"},"action":{"weightedTargets":[
                {"virtualNode":"user-service-v1","weight":50},{"virtualNode":"user-service-v2","weight":50}]}}}""",
                RouteSpec.class));
        routes.put("user-service-router", userRoutes);
        return new MeshView(before.mesh(), before.revision() + 1, before.spec(), before.virtualServices(),
                before.virtualNodes(), before.virtualRouters(), routes, before.virtualGateways(), before.gatewayRoutes(),
                before.instances());
    }

    private static VirtualHost host(ProxyResources resources, String service) {
        return resources.routes().stream().flatMap(r -> r.getVirtualHostsList().stream())
                .filter(h -> h.getName().equals(service)).findFirst().orElseThrow();
    }

    private static Route route(VirtualHost host, String name) {
        return host.getRoutesList().stream().filter(r -> r.getName().contains(name)).findFirst().orElseThrow();
    }

    @Test
    void theSameViewReusesTheMemoAsItIs() throws Exception {
        MeshView view = seed();
        TranslationMemo memo = new TranslationMemo(view);
        assertThat(memo.next(view)).isSameAs(memo);
    }

    @Test
    void untouchedServicesKeepTheirInstancesAndTheChangedOneIsBuiltAgain() throws Exception {
        MeshView before = seed();
        TranslationMemo first = new TranslationMemo(before);
        ProxyResources was = MeshTranslator.translate(first, COURSE);

        MeshView after = reweighted(before);
        TranslationMemo second = first.next(after);
        assertThat(second).isNotSameAs(first);
        ProxyResources is = MeshTranslator.translate(second, COURSE);

        VirtualHost assessmentWas = host(was, "assessment-service.mylearning.local");
        assertThat(host(is, "assessment-service.mylearning.local")).as("a service nobody touched").isSameAs(assessmentWas);
        VirtualHost userWas = host(was, "user-service.mylearning.local");
        VirtualHost userIs = host(is, "user-service.mylearning.local");
        assertThat(userIs).as("the service whose route changed").isNotSameAs(userWas).isNotEqualTo(userWas);
        assertThat(route(userIs, "user-service-ab-test")).as("its other routes").isSameAs(route(userWas, "user-service-ab-test"));
        assertThat(route(userIs, "user-service-route")).isNotEqualTo(route(userWas, "user-service-route"));
        assertThat(route(userIs, "user-service-route").getRoute().getWeightedClusters().getClusters(0).getWeight().getValue())
                .isEqualTo(50);
    }

    /** The seed with one more user-service instance registered, with an IPv6 address as well. */
    private static MeshView moreInstances(MeshView before) {
        Map<ServiceKey, List<Instance>> instances = new HashMap<>(before.instances());
        ServiceKey user = new ServiceKey("mylearning.local", "user-service");
        List<Instance> users = new ArrayList<>(instances.get(user));
        users.add(new Instance("user-service-v1-3", Map.of("AWS_INSTANCE_IPV4", "10.0.1.12",
                "AWS_INSTANCE_IPV6", "2001:db8::12", "version", "v1")));
        instances.put(user, users);
        return new MeshView(before.mesh(), before.revision() + 1, before.spec(), before.virtualServices(),
                before.virtualNodes(), before.virtualRouters(), before.routes(), before.virtualGateways(),
                before.gatewayRoutes(), instances);
    }

    /** The seed with assessment-service-v1 listening on another port and with outlier detection. */
    private static MeshView assessmentRespecified(MeshView before) throws Exception {
        Map<String, VirtualNodeSpec> nodes = new HashMap<>(before.virtualNodes());
        nodes.put("assessment-service-v1", AppMeshJson.mapper().readValue("""
                {"listeners":[{"portMapping":{"port":8080,"protocol":"http"},"outlierDetection":{"maxServerErrors":5,
                "interval":{"unit":"s","value":10},"baseEjectionDuration":{"unit":"s","value":30},"maxEjectionPercent":50}}],
                "serviceDiscovery":{"awsCloudMap":{"namespaceName":"mylearning.local","serviceName":"assessment-service",
                "attributes":[{"key":"version","value":"v1"}]}},
                "backends":[{"virtualService":{"virtualServiceName":"analytics-service.mylearning.local"}}]}""",
                VirtualNodeSpec.class));
        return new MeshView(before.mesh(), before.revision() + 1, before.spec(), before.virtualServices(), nodes,
                before.virtualRouters(), before.routes(), before.virtualGateways(), before.gatewayRoutes(),
                before.instances());
    }

    /** The seed with the mesh preferring IPv6 addresses. */
    private static MeshView preferringIpv6(MeshView before) throws Exception {
        return new MeshView(before.mesh(), before.revision() + 1, AppMeshJson.mapper().readValue(
                "{\"egressFilter\":{\"type\":\"DROP_ALL\"},\"serviceDiscovery\":{\"ipPreference\":\"IPv6_PREFERRED\"}}",
                MeshSpec.class), before.virtualServices(), before.virtualNodes(), before.virtualRouters(), before.routes(),
                before.virtualGateways(), before.gatewayRoutes(), before.instances());
    }

    @Test
    void aCarriedMemoTranslatesEveryProxyAsAFreshOneWould() throws Exception {
        MeshView seed = seed();
        MeshView dualStack = moreInstances(seed);
        for (List<MeshView> change : List.of(List.of(seed, reweighted(seed)), List.of(seed, dualStack),
                List.of(seed, assessmentRespecified(seed)), List.of(dualStack, preferringIpv6(dualStack)))) {
            MeshView before = change.get(0);
            MeshView after = change.get(1);
            TranslationMemo first = new TranslationMemo(before);
            for (String node : before.virtualNodes().keySet()) {
                for (ProxyId.Kind kind : new ProxyId.Kind[] {ProxyId.Kind.SIDECAR, ProxyId.Kind.GRPC_CLIENT}) {
                    MeshTranslator.translate(first, new ProxyId(before.mesh(), kind, node));
                }
            }
            TranslationMemo carried = first.next(after);
            TranslationMemo fresh = new TranslationMemo(after);
            for (String node : after.virtualNodes().keySet()) {
                for (ProxyId.Kind kind : new ProxyId.Kind[] {ProxyId.Kind.SIDECAR, ProxyId.Kind.GRPC_CLIENT}) {
                    ProxyId id = new ProxyId(after.mesh(), kind, node);
                    assertThat(MeshTranslator.translate(carried, id)).as(id.toString())
                            .isEqualTo(MeshTranslator.translate(fresh, id));
                }
            }
            // and back: the first view's content again, from a memo that carried the second's
            assertThat(MeshTranslator.translate(carried.next(again(before, after.revision() + 1)), COURSE)).isEqualTo(MeshTranslator.translate(before, COURSE));
        }
    }

    @Test
    void clustersAndEndpointsAreBuiltAgainOnlyWhenWhatTheyAreMadeOfChanged() throws Exception {
        MeshView before = seed();
        TranslationMemo first = new TranslationMemo(before);
        ProxyResources was = MeshTranslator.translate(first, COURSE);
        ProxyResources is = MeshTranslator.translate(first.next(moreInstances(before)), COURSE);
        assertThat(endpoints(is, "user-service-v1")).as("a new instance").isNotEqualTo(endpoints(was, "user-service-v1"));
        assertThat(endpoints(is, "assessment-service-v1")).isSameAs(endpoints(was, "assessment-service-v1"));
        assertThat(cluster(is, "user-service-v1")).as("the cluster does not name instances").isSameAs(cluster(was, "user-service-v1"));

        ProxyResources respecified = MeshTranslator.translate(first.next(assessmentRespecified(before)), COURSE);
        assertThat(cluster(respecified, "assessment-service-v1").hasOutlierDetection()).isTrue();
        assertThat(endpoints(respecified, "assessment-service-v1")).as("built again from the new spec, alike in content")
                .isNotSameAs(endpoints(was, "assessment-service-v1")).isEqualTo(endpoints(was, "assessment-service-v1"));
        assertThat(cluster(respecified, "user-service-v1")).isSameAs(cluster(was, "user-service-v1"));
    }

    @Test
    void underMtlsACallersClusterWithItsTlsIsCarriedToo() throws Exception {
        MeshView strict = GoldenTest.view(JsonMapper.builder().build().readTree(
                GoldenTest.IN.resolve("rbac-strict-backends-and-policies.json").toFile()));
        ProxyId course = new ProxyId(strict.mesh(), ProxyId.Kind.SIDECAR, "course-service");
        TranslationMemo first = new TranslationMemo(strict);
        ProxyResources was = MeshTranslator.translate(first, course);
        assertThat(cluster(was, "user-service-v1").hasTransportSocket()).isTrue();

        MeshView again = again(strict, strict.revision() + 1);
        ProxyResources is = MeshTranslator.translate(first.next(again), course);
        assertThat(cluster(is, "user-service-v1")).isSameAs(cluster(was, "user-service-v1"));
        assertThat(is).isEqualTo(MeshTranslator.translate(new TranslationMemo(again), course));
    }

    private static io.envoyproxy.envoy.config.cluster.v3.Cluster cluster(ProxyResources resources, String node) {
        return resources.clusters().stream().filter(c -> c.getName().contains(node)).findFirst().orElseThrow();
    }

    private static io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment endpoints(ProxyResources resources, String node) {
        return resources.endpoints().stream().filter(c -> c.getClusterName().contains(node)).findFirst().orElseThrow();
    }

    @Test
    void aViewThatTranslatedNothingStillPassesEverythingOn() throws Exception {
        MeshView before = seed();
        TranslationMemo first = new TranslationMemo(before);
        ProxyResources was = MeshTranslator.translate(first, COURSE);
        // a change that concerned no proxy of this mesh: the publisher made the memo and translated nothing
        MeshView between = again(before, before.revision() + 1);
        TranslationMemo idle = first.next(between);
        ProxyResources is = MeshTranslator.translate(idle.next(reweighted(between)), COURSE);
        assertThat(host(is, "assessment-service.mylearning.local")).isSameAs(host(was, "assessment-service.mylearning.local"));
        assertThat(cluster(is, "assessment-service-v1")).isSameAs(cluster(was, "assessment-service-v1"));
    }

    @Test
    void partsNothingHoldsAnyMoreAreDropped() throws Exception {
        MeshView before = seed();
        TranslationMemo first = new TranslationMemo(before);
        for (String node : before.virtualNodes().keySet()) {
            MeshTranslator.translate(first, new ProxyId(before.mesh(), ProxyId.Kind.SIDECAR, node));
        }
        int held = first.carried();
        assertThat(held).isGreaterThan(10);
        MeshView after = reweighted(before);
        TranslationMemo kept = first.next(after);
        first = null; // neither the memo of the first view nor any configuration built from it is held now
        int left = held;
        for (int attempt = 0; attempt < 20 && left > 0; attempt++) {
            System.gc();
            Thread.sleep(10);
            left = kept.next(again(after, after.revision() + 1 + attempt)).carried();
        }
        assertThat(left).as("parts carried once nothing holds them").isZero();
    }

    @Test
    void anotherMeshCarriesNothing() throws Exception {
        MeshView before = seed();
        TranslationMemo first = new TranslationMemo(before);
        ProxyResources was = MeshTranslator.translate(first, COURSE);
        MeshView other = new MeshView("other-mesh", 1, before.spec(), before.virtualServices(), before.virtualNodes(),
                before.virtualRouters(), before.routes(), before.virtualGateways(), before.gatewayRoutes(), before.instances());
        ProxyResources there = MeshTranslator.translate(first.next(other), new ProxyId("other-mesh", ProxyId.Kind.SIDECAR,
                "course-service-v1"));
        assertThat(host(there, "assessment-service.mylearning.local"))
                .isNotSameAs(host(was, "assessment-service.mylearning.local"));
    }
}
