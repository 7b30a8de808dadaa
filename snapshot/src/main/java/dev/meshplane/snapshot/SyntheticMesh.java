package dev.meshplane.snapshot;

import dev.meshplane.api.model.AwsCloudMapInstanceAttribute;
import dev.meshplane.api.model.AwsCloudMapServiceDiscovery;
import dev.meshplane.api.model.Backend;
import dev.meshplane.api.model.HttpRoute;
import dev.meshplane.api.model.HttpRouteAction;
import dev.meshplane.api.model.HttpRouteMatch;
import dev.meshplane.api.model.Listener;
import dev.meshplane.api.model.MeshSpec;
import dev.meshplane.api.model.PortMapping;
import dev.meshplane.api.model.PortProtocol;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.ServiceDiscovery;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualRouterListener;
import dev.meshplane.api.model.VirtualRouterServiceProvider;
import dev.meshplane.api.model.VirtualRouterSpec;
import dev.meshplane.api.model.VirtualServiceBackend;
import dev.meshplane.api.model.VirtualServiceProvider;
import dev.meshplane.api.model.VirtualServiceSpec;
import dev.meshplane.api.model.WeightedTarget;
import dev.meshplane.snapshot.MeshView.Instance;
import dev.meshplane.snapshot.MeshView.ServiceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A generated mesh of a given size, for benchmarks and for warming the translator up: half the
 * nodes are services with two versions behind a router with a 90/10 route, a tenth are clients with
 * ten backends each, and every service has one registry instance per version.
 */
public final class SyntheticMesh {

    private SyntheticMesh() {
    }

    public static MeshView of(int nodes) {
        int clients = Math.max(1, nodes / 10);
        int services = Math.max(1, (nodes - clients) / 2);
        Map<String, VirtualNodeSpec> nodeSpecs = new HashMap<>();
        Map<String, VirtualServiceSpec> serviceSpecs = new HashMap<>();
        Map<String, VirtualRouterSpec> routers = new HashMap<>();
        Map<String, Map<String, RouteSpec>> routes = new HashMap<>();
        Map<ServiceKey, List<Instance>> instances = new HashMap<>();
        for (int i = 0; i < services; i++) {
            for (String version : List.of("v1", "v2")) {
                nodeSpecs.put("svc-" + i + "-" + version, new VirtualNodeSpec(null, null,
                        List.of(new Listener(null, null, null, new PortMapping(8080, PortProtocol.HTTP), null, null)), null,
                        new ServiceDiscovery(new AwsCloudMapServiceDiscovery(
                                List.of(new AwsCloudMapInstanceAttribute("version", version)), null, "bench", "svc-" + i), null)));
            }
            routers.put("svc-" + i + "-router", new VirtualRouterSpec(
                    List.of(new VirtualRouterListener(new PortMapping(8080, PortProtocol.HTTP)))));
            routes.put("svc-" + i + "-router", Map.of("split", new RouteSpec(null, null, new HttpRoute(
                    new HttpRouteAction(List.of(new WeightedTarget(null, "svc-" + i + "-v1", 90),
                            new WeightedTarget(null, "svc-" + i + "-v2", 10))),
                    new HttpRouteMatch(null, null, null, null, "/", null, null), null, null), null, null)));
            serviceSpecs.put("svc-" + i + ".bench.local", new VirtualServiceSpec(
                    new VirtualServiceProvider(null, new VirtualRouterServiceProvider("svc-" + i + "-router"))));
            instances.put(new ServiceKey("bench", "svc-" + i), List.of(
                    new Instance("a", Map.of("AWS_INSTANCE_IPV4", "10.0.0." + (i % 250), "version", "v1")),
                    new Instance("b", Map.of("AWS_INSTANCE_IPV4", "10.0.1." + (i % 250), "version", "v2"))));
        }
        for (int c = 0; c < clients; c++) {
            List<Backend> backends = new ArrayList<>();
            for (int j = 0; j < 10; j++) {
                backends.add(new Backend(new VirtualServiceBackend(null, "svc-" + ((c * 10 + j) % services) + ".bench.local")));
            }
            nodeSpecs.put("client-" + c, new VirtualNodeSpec(null, backends, null, null, null));
        }
        return new MeshView("bench", 1, new MeshSpec(null, null), serviceSpecs, nodeSpecs, routers, routes, Map.of(),
                Map.of(), instances);
    }
}
