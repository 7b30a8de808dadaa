package dev.meshplane.bench.jmh;

import dev.meshplane.snapshot.EnvoyValidator;
import dev.meshplane.snapshot.MeshTranslator;
import dev.meshplane.snapshot.MeshView;
import dev.meshplane.snapshot.ProxyId;
import dev.meshplane.snapshot.ProxyResources;
import dev.meshplane.snapshot.SyntheticMesh;
import dev.meshplane.snapshot.TranslationMemo;
import java.util.ArrayList;
import java.util.List;
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
        view = SyntheticMesh.of(nodes);
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
}
