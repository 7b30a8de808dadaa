package dev.meshplane.bench.jmh;

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
import dev.meshplane.snapshot.EnvoyValidator;
import dev.meshplane.snapshot.MeshTranslator;
import dev.meshplane.snapshot.MeshView;
import dev.meshplane.snapshot.MeshView.Instance;
import dev.meshplane.snapshot.MeshView.ServiceKey;
import dev.meshplane.snapshot.ProxyId;
import dev.meshplane.snapshot.ProxyResources;
import dev.meshplane.snapshot.TranslationMemo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The translator alone: a full rebuild of a mesh of {@code nodes} virtual nodes (half services with
 * two versions behind a router, a tenth clients with ten backends each), and the rebuild of one
 * client after a change. Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main TranslatorBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TranslatorBenchmark {

    @Param({"1000"})
    public int nodes;

    private MeshView view;
    private List<ProxyId> groups;

    @Setup
    public void setUp() {
        view = mesh(nodes);
        groups = new ArrayList<>();
        for (String node : view.virtualNodes().keySet()) {
            groups.add(new ProxyId("bench", ProxyId.Kind.SIDECAR, node));
        }
    }

    /** Every virtual node's sidecar configuration, validated, as after a control-plane start. */
    @Benchmark
    public void fullRebuild(Blackhole blackhole) {
        for (ProxyId id : groups) {
            ProxyResources resources = MeshTranslator.translate(view, id);
            blackhole.consume(EnvoyValidator.validate(resources));
        }
    }

    /** The same with one memo for the whole view, as the publisher translates: shared parts built once. */
    @Benchmark
    public void fullRebuildSharingTheMemo(Blackhole blackhole) {
        TranslationMemo memo = new TranslationMemo(view);
        for (ProxyId id : groups) {
            ProxyResources resources = MeshTranslator.translate(memo, id);
            blackhole.consume(resources);
        }
    }

    /** One client's configuration, validated: what one change to one of its services costs. */
    @Benchmark
    public void oneClient(Blackhole blackhole) {
        ProxyResources resources = MeshTranslator.translate(view, new ProxyId("bench", ProxyId.Kind.SIDECAR, "client-0"));
        blackhole.consume(EnvoyValidator.validate(resources));
    }

    static MeshView mesh(int nodes) {
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
