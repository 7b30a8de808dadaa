package dev.meshplane.controlplane;

import static dev.meshplane.controlplane.Fixtures.gateway;
import static dev.meshplane.controlplane.Fixtures.gatewayRoute;
import static dev.meshplane.controlplane.Fixtures.httpRoute;
import static dev.meshplane.controlplane.Fixtures.node;
import static dev.meshplane.controlplane.Fixtures.providedByNode;
import static dev.meshplane.controlplane.Fixtures.providedByRouter;
import static dev.meshplane.controlplane.Fixtures.router;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.appmesh.model.BadRequestException;
import software.amazon.awssdk.services.appmesh.model.ConflictException;
import software.amazon.awssdk.services.appmesh.model.GatewayRouteData;
import software.amazon.awssdk.services.appmesh.model.GatewayRouteRef;
import software.amazon.awssdk.services.appmesh.model.GatewayRouteStatusCode;
import software.amazon.awssdk.services.appmesh.model.LimitExceededException;
import software.amazon.awssdk.services.appmesh.model.ListVirtualNodesResponse;
import software.amazon.awssdk.services.appmesh.model.NotFoundException;
import software.amazon.awssdk.services.appmesh.model.ResourceInUseException;
import software.amazon.awssdk.services.appmesh.model.RouteData;
import software.amazon.awssdk.services.appmesh.model.RouteRef;
import software.amazon.awssdk.services.appmesh.model.RouteStatusCode;
import software.amazon.awssdk.services.appmesh.model.VirtualGatewayData;
import software.amazon.awssdk.services.appmesh.model.VirtualGatewayRef;
import software.amazon.awssdk.services.appmesh.model.VirtualGatewayStatusCode;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeData;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeRef;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeStatusCode;
import software.amazon.awssdk.services.appmesh.model.VirtualRouterData;
import software.amazon.awssdk.services.appmesh.model.VirtualRouterRef;
import software.amazon.awssdk.services.appmesh.model.VirtualRouterStatusCode;
import software.amazon.awssdk.services.appmesh.model.VirtualServiceData;
import software.amazon.awssdk.services.appmesh.model.VirtualServiceRef;
import software.amazon.awssdk.services.appmesh.model.VirtualServiceStatusCode;

/** Every operation on the six resource kinds inside a mesh, through the AWS SDK. */
class MeshResourcesTest extends ServerTest {

    private static final String ARN = "arn:aws:appmesh:us-east-1:123456789012:mesh/";

    private String mesh;

    @BeforeEach
    void createMesh() {
        mesh = uniqueName("res");
        appMesh.createMesh(r -> r.meshName(mesh));
    }

    @Test
    void virtualNodeLifecycle() {
        VirtualNodeData created = appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-v1")
                .spec(node("user.local", "course.mylearning.local"))).virtualNode();
        assertThat(created.metadata().arn()).isEqualTo(ARN + mesh + "/virtualNode/user-v1");
        assertThat(created.metadata().version()).isEqualTo(1L);
        assertThat(created.status().status()).isEqualTo(VirtualNodeStatusCode.ACTIVE);
        assertThat(created.spec()).isEqualTo(node("user.local", "course.mylearning.local"));
        assertThat(appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-v1")).virtualNode())
                .isEqualTo(created);

        VirtualNodeData updated = appMesh.updateVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-v1")
                .spec(node("user-2.local"))).virtualNode();
        assertThat(updated.metadata().version()).isEqualTo(2L);
        assertThat(updated.spec().serviceDiscovery().dns().hostname()).isEqualTo("user-2.local");

        VirtualNodeData deleted = appMesh.deleteVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-v1"))
                .virtualNode();
        assertThat(deleted.status().status()).isEqualTo(VirtualNodeStatusCode.DELETED);
        assertThatThrownBy(() -> appMesh.describeVirtualNode(r -> r.meshName(mesh).virtualNodeName("user-v1")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("virtual node 'user-v1' in mesh '" + mesh + "' does not exist");
    }

    @Test
    void listsVirtualNodesAcrossPages() {
        for (int i = 0; i < 5; i++) {
            String name = "node-" + i;
            appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName(name).spec(node(name + ".local")));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            String current = token;
            ListVirtualNodesResponse page = appMesh.listVirtualNodes(r -> r.meshName(mesh).limit(2).nextToken(current));
            page.virtualNodes().stream().map(VirtualNodeRef::virtualNodeName).forEach(seen::add);
            token = page.nextToken();
        } while (token != null);
        assertThat(seen).containsExactly("node-0", "node-1", "node-2", "node-3", "node-4");
        VirtualNodeRef ref = appMesh.listVirtualNodes(r -> r.meshName(mesh)).virtualNodes().get(0);
        assertThat(ref.meshName()).isEqualTo(mesh);
        assertThat(ref.meshOwner()).isEqualTo("123456789012");
        assertThat(ref.arn()).isEqualTo(ARN + mesh + "/virtualNode/node-0");
        assertThatThrownBy(() -> appMesh.listVirtualNodes(r -> r.meshName("no-such-mesh-" + UUID.randomUUID())))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void virtualServiceLifecycleWithBothProviderKinds() {
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("course-v1").spec(node("course.local")));
        appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("course-router").spec(router()));

        VirtualServiceData created = appMesh.createVirtualService(r -> r.meshName(mesh)
                .virtualServiceName("course.mylearning.local").spec(providedByNode("course-v1"))).virtualService();
        assertThat(created.metadata().arn()).isEqualTo(ARN + mesh + "/virtualService/course.mylearning.local");
        assertThat(created.status().status()).isEqualTo(VirtualServiceStatusCode.ACTIVE);

        VirtualServiceData updated = appMesh.updateVirtualService(r -> r.meshName(mesh)
                .virtualServiceName("course.mylearning.local").spec(providedByRouter("course-router"))).virtualService();
        assertThat(updated.metadata().version()).isEqualTo(2L);
        assertThat(updated.spec()).isEqualTo(providedByRouter("course-router"));
        assertThat(appMesh.listVirtualServices(r -> r.meshName(mesh)).virtualServices())
                .extracting(VirtualServiceRef::virtualServiceName).containsExactly("course.mylearning.local");

        // the node no longer provides the service, so it can go; the router still does
        appMesh.deleteVirtualNode(r -> r.meshName(mesh).virtualNodeName("course-v1"));
        assertThatThrownBy(() -> appMesh.deleteVirtualRouter(r -> r.meshName(mesh).virtualRouterName("course-router")))
                .isInstanceOf(ResourceInUseException.class).hasMessageContaining("course.mylearning.local");

        assertThat(appMesh.deleteVirtualService(r -> r.meshName(mesh).virtualServiceName("course.mylearning.local"))
                .virtualService().status().status()).isEqualTo(VirtualServiceStatusCode.DELETED);
        appMesh.deleteVirtualRouter(r -> r.meshName(mesh).virtualRouterName("course-router"));
    }

    @Test
    void routerAndRouteLifecycle() {
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("v1").spec(node("v1.local")));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("v2").spec(node("v2.local")));
        VirtualRouterData router = appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("rt")
                .spec(router())).virtualRouter();
        assertThat(router.status().status()).isEqualTo(VirtualRouterStatusCode.ACTIVE);
        assertThat(appMesh.updateVirtualRouter(r -> r.meshName(mesh).virtualRouterName("rt").spec(router()))
                .virtualRouter().metadata().version()).isEqualTo(2L);
        assertThat(appMesh.listVirtualRouters(r -> r.meshName(mesh)).virtualRouters())
                .extracting(VirtualRouterRef::virtualRouterName).containsExactly("rt");

        RouteData route = appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("all")
                .spec(httpRoute("/", "v1", 100))).route();
        assertThat(route.metadata().arn()).isEqualTo(ARN + mesh + "/virtualRouter/rt/route/all");
        assertThat(route.virtualRouterName()).isEqualTo("rt");
        assertThat(route.status().status()).isEqualTo(RouteStatusCode.ACTIVE);
        assertThat(appMesh.describeRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("all")).route())
                .isEqualTo(route);

        RouteData moved = appMesh.updateRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("all")
                .spec(httpRoute("/", "v2", 100))).route();
        assertThat(moved.metadata().version()).isEqualTo(2L);
        // v1 is no longer a target, v2 is
        appMesh.deleteVirtualNode(r -> r.meshName(mesh).virtualNodeName("v1"));
        assertThatThrownBy(() -> appMesh.deleteVirtualNode(r -> r.meshName(mesh).virtualNodeName("v2")))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("route 'all' of virtual router 'rt'");

        List<RouteRef> routes = appMesh.listRoutes(r -> r.meshName(mesh).virtualRouterName("rt")).routes();
        assertThat(routes).extracting(RouteRef::routeName).containsExactly("all");
        assertThat(routes.get(0).virtualRouterName()).isEqualTo("rt");

        assertThatThrownBy(() -> appMesh.deleteVirtualRouter(r -> r.meshName(mesh).virtualRouterName("rt")))
                .as("a router with routes").isInstanceOf(ResourceInUseException.class).hasMessageContaining("route 'all'");
        assertThat(appMesh.deleteRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("all")).route()
                .status().status()).isEqualTo(RouteStatusCode.DELETED);
        assertThat(appMesh.deleteVirtualRouter(r -> r.meshName(mesh).virtualRouterName("rt")).virtualRouter()
                .status().status()).isEqualTo(VirtualRouterStatusCode.DELETED);
    }

    @Test
    void aRouteNeedsAnExistingRouterAndExistingTargets() {
        assertThatThrownBy(() -> appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("nope").routeName("x")
                .spec(httpRoute("/", "v1", 1))))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("virtual router 'nope'");
        appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("rt").spec(router()));
        assertThatThrownBy(() -> appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("x")
                .spec(httpRoute("/", "ghost", 1))))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("spec.httpRoute.action.weightedTargets[0].virtualNode: virtual node 'ghost' does not exist");
        assertThat(appMesh.listRoutes(r -> r.meshName(mesh).virtualRouterName("rt")).routes()).isEmpty();
    }

    @Test
    void aVirtualServiceProviderMustExistButABackendNeedNot() {
        assertThatThrownBy(() -> appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("a.local")
                .spec(providedByNode("ghost"))))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("spec.provider.virtualNode.virtualNodeName: virtual node 'ghost' does not exist");
        // services that call each other must be creatable: backends may name services created later
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("a").spec(node("a.local", "b.local")));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("b").spec(node("b.local", "a.local")));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("a.local").spec(providedByNode("a")));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("b.local").spec(providedByNode("b")));
        assertThatThrownBy(() -> appMesh.deleteVirtualNode(r -> r.meshName(mesh).virtualNodeName("a")))
                .isInstanceOf(ResourceInUseException.class).hasMessageContaining("virtual service 'a.local'");
    }

    @Test
    void gatewayAndGatewayRouteLifecycle() {
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("web").spec(node("web.local")));
        appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("web.mylearning.local")
                .spec(providedByNode("web")));
        VirtualGatewayData gw = appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("ingress")
                .spec(gateway())).virtualGateway();
        assertThat(gw.metadata().arn()).isEqualTo(ARN + mesh + "/virtualGateway/ingress");
        assertThat(gw.status().status()).isEqualTo(VirtualGatewayStatusCode.ACTIVE);
        assertThat(appMesh.updateVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("ingress").spec(gateway()))
                .virtualGateway().metadata().version()).isEqualTo(2L);
        assertThat(appMesh.listVirtualGateways(r -> r.meshName(mesh)).virtualGateways())
                .extracting(VirtualGatewayRef::virtualGatewayName).containsExactly("ingress");
        assertThat(appMesh.describeVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("ingress"))
                .virtualGateway().metadata().version()).isEqualTo(2L);

        GatewayRouteData route = appMesh.createGatewayRoute(r -> r.meshName(mesh).virtualGatewayName("ingress")
                .gatewayRouteName("web").spec(gatewayRoute("/web/", "web.mylearning.local"))).gatewayRoute();
        assertThat(route.metadata().arn()).isEqualTo(ARN + mesh + "/virtualGateway/ingress/gatewayRoute/web");
        assertThat(route.virtualGatewayName()).isEqualTo("ingress");
        assertThat(appMesh.describeGatewayRoute(r -> r.meshName(mesh).virtualGatewayName("ingress")
                .gatewayRouteName("web")).gatewayRoute()).isEqualTo(route);
        assertThat(appMesh.updateGatewayRoute(r -> r.meshName(mesh).virtualGatewayName("ingress").gatewayRouteName("web")
                .spec(gatewayRoute("/", "web.mylearning.local"))).gatewayRoute().metadata().version()).isEqualTo(2L);
        assertThat(appMesh.listGatewayRoutes(r -> r.meshName(mesh).virtualGatewayName("ingress")).gatewayRoutes())
                .extracting(GatewayRouteRef::gatewayRouteName).containsExactly("web");

        assertThatThrownBy(() -> appMesh.deleteVirtualService(r -> r.meshName(mesh).virtualServiceName("web.mylearning.local")))
                .as("a gateway route targets it").isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("gateway route 'web' of virtual gateway 'ingress'");
        assertThatThrownBy(() -> appMesh.deleteVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("ingress")))
                .as("a gateway with routes").isInstanceOf(ResourceInUseException.class);
        assertThatThrownBy(() -> appMesh.createGatewayRoute(r -> r.meshName(mesh).virtualGatewayName("ingress")
                .gatewayRouteName("ghost").spec(gatewayRoute("/g/", "ghost.local"))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("virtual service 'ghost.local' does not exist");

        assertThat(appMesh.deleteGatewayRoute(r -> r.meshName(mesh).virtualGatewayName("ingress").gatewayRouteName("web"))
                .gatewayRoute().status().status()).isEqualTo(GatewayRouteStatusCode.DELETED);
        assertThat(appMesh.deleteVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("ingress"))
                .virtualGateway().status().status()).isEqualTo(VirtualGatewayStatusCode.DELETED);
        appMesh.deleteVirtualService(r -> r.meshName(mesh).virtualServiceName("web.mylearning.local"));
    }

    @Test
    void aMeshCannotBeDeletedWhileItHoldsResources() {
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("n").spec(node("n.local")));
        assertThatThrownBy(() -> appMesh.deleteMesh(r -> r.meshName(mesh)))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("still contains virtual node 'n'")
                .satisfies(e -> assertThat(((ResourceInUseException) e).statusCode()).isEqualTo(409));
        appMesh.deleteVirtualNode(r -> r.meshName(mesh).virtualNodeName("n"));
        appMesh.deleteMesh(r -> r.meshName(mesh));
    }

    @Test
    void namesAreUniquePerKindAndScope() {
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("same").spec(node("a.local")));
        assertThatThrownBy(() -> appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("same")
                .spec(node("b.local")))).isInstanceOf(ConflictException.class);
        // another kind, or another mesh, may reuse the name
        appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("same").spec(router()));
        String other = uniqueName("other");
        appMesh.createMesh(r -> r.meshName(other));
        appMesh.createVirtualNode(r -> r.meshName(other).virtualNodeName("same").spec(node("a.local")));
    }

    @Test
    void quotasAnswerLimitExceeded() {
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("v").spec(node("v.local")));
        appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("rt").spec(router()));
        for (int i = 0; i < 5; i++) {
            String name = "r" + i;
            appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName(name)
                    .spec(httpRoute("/" + name, "v", 1)));
        }
        assertThatThrownBy(() -> appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("r5")
                .spec(httpRoute("/r5", "v", 1))))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("virtual router 'rt' already has 5 routes and its limit"
                        + " is 5 (meshplane.limits.routes-per-virtual-router)")
                .satisfies(e -> assertThat(((LimitExceededException) e).statusCode()).isEqualTo(400));
        for (int i = 0; i < 3; i++) {
            String name = "gw" + i;
            appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName(name).spec(gateway()));
        }
        assertThatThrownBy(() -> appMesh.createVirtualGateway(r -> r.meshName(mesh).virtualGatewayName("gw3")
                .spec(gateway()))).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void aCreateInAMissingMeshIsNotFound() {
        String ghost = "ghost-" + UUID.randomUUID();
        assertThatThrownBy(() -> appMesh.createVirtualNode(r -> r.meshName(ghost).virtualNodeName("n")
                .spec(node("n.local")))).isInstanceOf(NotFoundException.class).hasMessageContaining("mesh '" + ghost + "'");
    }
}
