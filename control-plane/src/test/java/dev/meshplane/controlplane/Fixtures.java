package dev.meshplane.controlplane;

import software.amazon.awssdk.services.appmesh.model.GatewayRouteSpec;
import software.amazon.awssdk.services.appmesh.model.PortProtocol;
import software.amazon.awssdk.services.appmesh.model.RouteSpec;
import software.amazon.awssdk.services.appmesh.model.VirtualGatewayPortProtocol;
import software.amazon.awssdk.services.appmesh.model.VirtualGatewaySpec;
import software.amazon.awssdk.services.appmesh.model.VirtualNodeSpec;
import software.amazon.awssdk.services.appmesh.model.VirtualRouterSpec;
import software.amazon.awssdk.services.appmesh.model.VirtualServiceSpec;

/** Small valid specs, built with the AWS SDK's own model classes. */
public final class Fixtures {

    private Fixtures() {
    }

    public static VirtualNodeSpec node(String hostname, String... backends) {
        return VirtualNodeSpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))
                .serviceDiscovery(d -> d.dns(dns -> dns.hostname(hostname)))
                .backends(java.util.Arrays.stream(backends)
                        .map(b -> software.amazon.awssdk.services.appmesh.model.Backend.builder()
                                .virtualService(v -> v.virtualServiceName(b)).build())
                        .toList())
                .build();
    }

    static VirtualRouterSpec router() {
        return VirtualRouterSpec.builder().listeners(l -> l.portMapping(p -> p.port(8080).protocol(PortProtocol.HTTP)))
                .build();
    }

    static VirtualServiceSpec providedByNode(String node) {
        return VirtualServiceSpec.builder().provider(p -> p.virtualNode(n -> n.virtualNodeName(node))).build();
    }

    static VirtualServiceSpec providedByRouter(String router) {
        return VirtualServiceSpec.builder().provider(p -> p.virtualRouter(r -> r.virtualRouterName(router))).build();
    }

    static RouteSpec httpRoute(String prefix, String node, int weight) {
        return RouteSpec.builder().httpRoute(h -> h
                .match(m -> m.prefix(prefix))
                .action(a -> a.weightedTargets(t -> t.virtualNode(node).weight(weight))))
                .build();
    }

    static VirtualGatewaySpec gateway() {
        return VirtualGatewaySpec.builder()
                .listeners(l -> l.portMapping(p -> p.port(8443).protocol(VirtualGatewayPortProtocol.HTTP)))
                .build();
    }

    static GatewayRouteSpec gatewayRoute(String prefix, String service) {
        return GatewayRouteSpec.builder().httpRoute(h -> h
                .match(m -> m.prefix(prefix))
                .action(a -> a.target(t -> t.virtualService(v -> v.virtualServiceName(service)))))
                .build();
    }
}
