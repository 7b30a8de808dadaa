package dev.meshplane.bench.jmh;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.protobuf.Message;
import dev.meshplane.api.model.HttpRoute;
import dev.meshplane.api.model.HttpRouteAction;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.WeightedTarget;
import dev.meshplane.snapshot.EnvoyValidator;
import dev.meshplane.snapshot.MeshTranslator;
import dev.meshplane.snapshot.MeshView;
import dev.meshplane.snapshot.ProxyId;
import dev.meshplane.snapshot.ProxyResources;
import dev.meshplane.snapshot.SyntheticMesh;
import dev.meshplane.snapshot.TranslationMemo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * The publisher's work for one route change that every client proxy must get: the next view of the
 * mesh (one service's route weights moved), every client translated again and its resources checked
 * against Envoy's rules, with validity remembered per message instance as the publisher remembers it.
 * Each invocation switches between two views that differ in that one route. {@code freshMemo}
 * translates each view from nothing; {@code carriedMemo} takes over the previous view's memo, as the
 * publisher does. Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main RouteChangeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouteChangeBenchmark {

    @Param({"1000"})
    public int nodes;

    private MeshView[] views;
    private List<ProxyId> clients;
    private int next;
    private TranslationMemo carried;
    private final Cache<Message, Boolean> valid = CacheBuilder.newBuilder().weakKeys().build();
    private final EnvoyValidator.KnownValid known = new EnvoyValidator.KnownValid() {
        @Override
        public boolean contains(Message message) {
            return valid.getIfPresent(message) != null;
        }

        @Override
        public void add(Message message) {
            valid.put(message, Boolean.TRUE);
        }
    };

    @Setup
    public void setUp() {
        MeshView before = SyntheticMesh.of(nodes);
        Map<String, Map<String, RouteSpec>> routes = new HashMap<>(before.routes());
        routes.put("svc-0-router", Map.of("split", new RouteSpec(null, null, new HttpRoute(
                new HttpRouteAction(List.of(new WeightedTarget(null, "svc-0-v1", 50), new WeightedTarget(null, "svc-0-v2", 50))),
                before.routes().get("svc-0-router").get("split").httpRoute().match(), null, null), null, null)));
        MeshView after = new MeshView(before.mesh(), 2, before.spec(), before.virtualServices(), before.virtualNodes(),
                before.virtualRouters(), routes, before.virtualGateways(), before.gatewayRoutes(), before.instances());
        views = new MeshView[] {before, after};
        clients = new ArrayList<>();
        before.virtualNodes().keySet().stream().filter(n -> n.startsWith("client-"))
                .forEach(n -> clients.add(new ProxyId(before.mesh(), ProxyId.Kind.SIDECAR, n)));
        carried = new TranslationMemo(before);
    }

    private MeshView nextView() {
        next = 1 - next;
        return views[next];
    }

    private void rebuildClients(TranslationMemo memo, Blackhole blackhole) {
        for (ProxyId id : clients) {
            ProxyResources resources = MeshTranslator.translate(memo, id);
            Stream.of(resources.clusters(), resources.endpoints(), resources.listeners(), resources.routes())
                    .flatMap(List::stream)
                    .forEach(message -> blackhole.consume(EnvoyValidator.validate(message, known)));
        }
    }

    @Benchmark
    public void freshMemo(Blackhole blackhole) {
        rebuildClients(new TranslationMemo(nextView()), blackhole);
    }

    @Benchmark
    public void carriedMemo(Blackhole blackhole) {
        carried = carried.next(nextView());
        rebuildClients(carried, blackhole);
    }
}
