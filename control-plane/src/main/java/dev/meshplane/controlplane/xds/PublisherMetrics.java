package dev.meshplane.controlplane.xds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * The control plane's own measurements, for Prometheus at {@code /actuator/prometheus}: pushes,
 * ACKs and NACKs by type, translation time, notification lag, and convergence: the time from a
 * change's commit to each proxy's ACK of the configuration that carries it.
 */
@Component
public class PublisherMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> gauges = new ConcurrentHashMap<>();
    /** For each group and type, the version pushed and when the change that caused it was committed. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(String version, long committedAtMillis) {
    }

    public PublisherMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static String shortType(String typeUrl) {
        return switch (typeUrl.substring(typeUrl.lastIndexOf('.') + 1)) {
            case "Cluster" -> "cds";
            case "ClusterLoadAssignment" -> "eds";
            case "Listener" -> "lds";
            case "RouteConfiguration" -> "rds";
            case "Secret" -> "sds";
            default -> "other";
        };
    }

    void response(String typeUrl) {
        counter("meshplane.xds.responses", "Responses (pushes) sent to proxies", typeUrl).increment();
    }

    void nack(String typeUrl) {
        counter("meshplane.xds.nacks", "Configurations proxies rejected", typeUrl).increment();
    }

    /** A proxy of a group ACKed a version: counts it, and records convergence if that version carries a change. */
    void ack(String groupKey, String typeUrl, String version) {
        counter("meshplane.xds.acks", "Configurations proxies accepted", typeUrl).increment();
        Pending change = pending.get(groupKey + "|" + typeUrl);
        if (change != null && change.version().equals(version) && change.committedAtMillis() > 0) {
            long millis = System.currentTimeMillis() - change.committedAtMillis();
            timer("meshplane.xds.convergence", "From a change's commit to a proxy's ACK of the configuration carrying it",
                    "type", shortType(typeUrl), true).record(Duration.ofMillis(Math.max(0, millis)));
        }
    }

    /** A new version of a type was set for a group because of changes committed at that time (0 if unknown). */
    void pushed(String groupKey, String typeUrl, String version, long committedAtMillis) {
        pending.put(groupKey + "|" + typeUrl, new Pending(version, committedAtMillis));
    }

    void released(String groupKey) {
        pending.keySet().removeIf(k -> k.startsWith(groupKey + "|"));
    }

    void translation(String mesh, long nanos) {
        timer("meshplane.xds.translation", "Time to translate, check and set the configuration of a mesh's changed proxy groups",
                "mesh", mesh, false).record(Duration.ofNanos(nanos));
    }

    /** Time from a notification's sending (in the writing transaction) to its arrival here. */
    void notificationLag(String channel, long millis) {
        timer("meshplane.store.notification.lag", "From pg_notify in a write's transaction to its arrival at this replica",
                "channel", channel, false).record(Duration.ofMillis(Math.max(0, millis)));
    }

    /** A gauge per mesh and proxy kind, registered the first time such a proxy connects. */
    <T> void proxiesGauge(String mesh, String kind, T source, ToDoubleFunction<T> count) {
        if (gauges.putIfAbsent(mesh + "|" + kind, Boolean.TRUE) == null) {
            Gauge.builder("meshplane.xds.proxies", source, count).description("Connected proxies (xDS streams)")
                    .tag("mesh", mesh).tag("kind", kind).register(registry);
        }
    }

    private Counter counter(String name, String description, String typeUrl) {
        String type = shortType(typeUrl);
        return counters.computeIfAbsent(name + "|" + type, k -> Counter.builder(name).description(description)
                .tag("type", type).register(registry));
    }

    private Timer timer(String name, String description, String tag, String value, boolean histogram) {
        return timers.computeIfAbsent(name + "|" + value, k -> {
            Timer.Builder builder = Timer.builder(name).description(description).tag(tag, value);
            if (histogram) {
                builder.publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(30));
            }
            return builder.register(registry);
        });
    }
}
