package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.appmesh.model.Backend;
import software.amazon.awssdk.services.appmesh.model.DurationUnit;
import software.amazon.awssdk.services.appmesh.model.EgressFilterType;
import software.amazon.awssdk.services.appmesh.model.ListenerTlsMode;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.RouteSpec;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;
import software.amazon.awssdk.services.appmesh.model.VirtualRouterSpec;
import software.amazon.awssdk.services.appmesh.model.VirtualServiceRef;
import software.amazon.awssdk.services.appmesh.model.VirtualServiceSpec;

/**
 * The seed's MyLearning.com production mesh: five services, user-service as a 90/10 canary with
 * its retry policy and timeout, and the premium A/B route on x-user-segment. Everything written
 * through the AWS SDK reads back equal.
 */
class MyLearningMeshTest extends ServerTest {

    static final List<String> SERVICES = List.of("user-service", "course-service", "assessment-service",
            "notification-service", "analytics-service");

    static VirtualNodeSpec sidecar(String service, String version, String... backends) {
        return VirtualNodeSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP))
                        .healthCheck(h -> h.protocol(PortProtocol.HTTP).path("/health").healthyThreshold(2)
                                .unhealthyThreshold(3).timeoutMillis(2000L).intervalMillis(5000L))
                        .tls(t -> t.mode(ListenerTlsMode.STRICT).certificate(c -> c.file(f -> f
                                .certificateChain("/certs/" + service + "/cert_chain.pem")
                                .privateKey("/certs/" + service + "/key.pem")))))
                .backends(java.util.Arrays.stream(backends).map(b -> Backend.builder()
                        .virtualService(v -> v.virtualServiceName(b + ".mylearning.local")).build()).toList())
                .serviceDiscovery(d -> d.awsCloudMap(c -> c.namespaceName("mylearning.local").serviceName(service)
                        .attributes(a -> a.key("version").value(version))))
                .logging(l -> l.accessLog(a -> a.file(f -> f.path("/dev/stdout"))))
                .build();
    }

    static RouteSpec canary() {
        return RouteSpec.builder().priority(10).httpRoute(h -> h
                .match(m -> m.prefix("/"))
                .action(a -> a.weightedTargets(
                        t -> t.virtualNode("user-service-v1").weight(90),
                        t -> t.virtualNode("user-service-v2").weight(10)))
                .retryPolicy(r -> r.maxRetries(3L)
                        .perRetryTimeout(d -> d.unit(DurationUnit.MS).value(2000L))
                        .httpRetryEvents("server-error", "gateway-error", "client-error"))
                .timeout(t -> t.perRequest(d -> d.unit(DurationUnit.MS).value(5000L))))
                .build();
    }

    /** The seed's premium route lists no retry events; App Mesh requires one, so this uses server-error. */
    static RouteSpec premium() {
        return RouteSpec.builder().priority(1).httpRoute(h -> h
                .match(m -> m.prefix("/api/recommendations")
                        .headers(hd -> hd.name("x-user-segment").match(mm -> mm.exact("premium"))))
                .action(a -> a.weightedTargets(
                        t -> t.virtualNode("recommendation-service-ml-v1").weight(50),
                        t -> t.virtualNode("recommendation-service-ml-v2").weight(50)))
                .retryPolicy(r -> r.maxRetries(2L).perRetryTimeout(d -> d.unit(DurationUnit.MS).value(1000L))
                        .httpRetryEvents("server-error")))
                .build();
    }

    static RouteSpec standardRecommendations() {
        return RouteSpec.builder().priority(2).httpRoute(h -> h
                .match(m -> m.prefix("/api/recommendations"))
                .action(a -> a.weightedTargets(t -> t.virtualNode("recommendation-service-standard").weight(100))))
                .build();
    }

    @Test
    void theSeedMeshRoundTrips() {
        String mesh = uniqueName("mylearning-prod-mesh");
        appMesh.createMesh(r -> r.meshName(mesh).spec(s -> s.egressFilter(f -> f.type(EgressFilterType.DROP_ALL))));

        Map<String, VirtualNodeSpec> nodes = new java.util.LinkedHashMap<>();
        nodes.put("user-service-v1", sidecar("user-service", "v1", "course-service", "notification-service"));
        nodes.put("user-service-v2", sidecar("user-service", "v2", "course-service", "notification-service"));
        nodes.put("course-service-v1", sidecar("course-service", "v1", "assessment-service"));
        nodes.put("assessment-service-v1", sidecar("assessment-service", "v1", "analytics-service"));
        nodes.put("notification-service-v1", sidecar("notification-service", "v1"));
        nodes.put("analytics-service-v1", sidecar("analytics-service", "v1"));
        for (String variant : List.of("ml-v1", "ml-v2", "standard")) {
            nodes.put("recommendation-service-" + variant, sidecar("recommendation-service", variant));
        }
        nodes.forEach((name, spec) -> appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName(name).spec(spec)));

        VirtualRouterSpec routerSpec = VirtualRouterSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP))).build();
        appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("user-service-router").spec(routerSpec));
        Map<String, RouteSpec> routes = Map.of("user-service-route", canary(), "user-service-ab-test", premium(),
                "user-service-default", standardRecommendations());
        routes.forEach((name, spec) -> appMesh.createRoute(r -> r.meshName(mesh)
                .virtualRouterName("user-service-router").routeName(name).spec(spec)));

        for (String service : SERVICES) {
            VirtualServiceSpec spec = service.equals("user-service")
                    ? VirtualServiceSpec.builder().provider(p -> p.virtualRouter(v -> v.virtualRouterName("user-service-router"))).build()
                    : VirtualServiceSpec.builder().provider(p -> p.virtualNode(v -> v.virtualNodeName(service + "-v1"))).build();
            appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName(service + ".mylearning.local").spec(spec));
        }

        nodes.forEach((name, spec) -> assertThat(appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName(name))
                .virtualNode().spec()).as(name).isEqualTo(spec));
        routes.forEach((name, spec) -> assertThat(appMesh.describeRoute(r -> r.meshName(mesh)
                .virtualRouterName("user-service-router").routeName(name)).route().spec()).as(name).isEqualTo(spec));
        assertThat(appMesh.describeVirtualRouter(r -> r.meshName(mesh).virtualRouterName("user-service-router"))
                .virtualRouter().spec()).isEqualTo(routerSpec);
        assertThat(appMesh.describeVirtualService(r -> r.meshName(mesh).virtualServiceName("user-service.mylearning.local"))
                .virtualService().spec().provider().virtualRouter().virtualRouterName()).isEqualTo("user-service-router");
        assertThat(appMesh.listVirtualServices(r -> r.meshName(mesh)).virtualServices())
                .extracting(VirtualServiceRef::virtualServiceName)
                .containsExactlyInAnyOrderElementsOf(SERVICES.stream().map(s -> s + ".mylearning.local").toList());
        assertThat(appMesh.listRoutes(r -> r.meshName(mesh).virtualRouterName("user-service-router")).routes()).hasSize(3);
    }
}
