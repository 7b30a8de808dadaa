package dev.meshplane.controlplane.traffic;

import dev.meshplane.controlplane.traffic.LoadReportCounters.Reason;
import dev.meshplane.persistence.TrafficStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sums accepted load (LRS) and Envoy's metrics (responses per status class, latency histogram bins) in
 * memory per mesh, caller, callee listener and time bucket, and writes the sums to PostgreSQL once per
 * reporting interval in batches (adding to what other replicas wrote); what was written goes to this
 * replica's Prometheus series ({@link TrafficSeries}). Deletes buckets older than the retention. Memory is
 * bounded: beyond {@link #MAX_PENDING} unwritten sums (the database away for long), or {@link #MAX_BINS} latency
 * bins of one edge in one bucket, new reports are dropped and counted ({@code reason="overflow"}).
 */
@Component
public class TrafficRecorder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TrafficRecorder.class);

    /** Unwritten sums kept at most: one per mesh, caller, callee listener and bucket. */
    static final int MAX_PENDING = 100_000;

    /**
     * Distinct latency bin bounds kept per edge and bucket: four times the most one message may bring
     * ({@link EnvoyMetricsRules#MAX_BOUNDS} and the bin above them), room for proxies of one node with different bucket
     * settings; a caller sending new bounds in every message would otherwise grow memory and rows without end.
     */
    static final int MAX_BINS = 4 * (EnvoyMetricsRules.MAX_BOUNDS + 1);

    private record Key(String mesh, Instant bucket, String sourceKind, String source, String destinationNode, int port) {
    }

    private static final class Tally {
        long issued;
        long successful;
        long errors;
        long inFlightMillis;
    }

    /** What Envoy's metrics service said of one edge in one bucket: responses 1xx to 5xx, latency samples per bin. */
    private static final class EnvoyTally {
        final long[] responses = new long[5];
        final SortedMap<Double, Long> bins = new TreeMap<>();
    }

    private final TrafficStore store;
    private final TrafficProperties properties;
    private final LoadReportCounters counters;
    private final TrafficSeries series;
    /** Adders share the read lock; the flush takes the write lock to swap the maps. */
    private final ReadWriteLock swap = new ReentrantReadWriteLock();
    private volatile Map<Key, Tally> pending = new ConcurrentHashMap<>();
    private volatile Map<Key, EnvoyTally> pendingEnvoy = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;
    private volatile long lastAgeOut;

    public TrafficRecorder(TrafficStore store, TrafficProperties properties, LoadReportCounters counters, TrafficSeries series) {
        this.store = store;
        this.properties = properties;
        this.counters = counters;
        this.series = series;
    }

    private Instant currentBucket() {
        long bucketMillis = properties.bucket().toMillis();
        return Instant.ofEpochMilli(System.currentTimeMillis() / bucketMillis * bucketMillis);
    }

    /**
     * Adds one caller's load towards one callee listener, reported now over {@code elapsedMillis}.
     *
     * @return false when memory for unwritten load is full and the load was dropped (and counted)
     */
    public boolean add(String mesh, String sourceKind, String source, String destinationNode, int port, long issued,
            long successful, long errors, long inProgress, long elapsedMillis) {
        return merge(new Key(mesh, currentBucket(), sourceKind, source, destinationNode, port), issued, successful, errors,
                inProgress * elapsedMillis);
    }

    /**
     * Adds what Envoy's metrics service reported now of one caller's calls towards one callee listener.
     *
     * @param responses responses per status class, 1xx to 5xx (index 0 to 4), each zero or more
     * @param bins      latency samples per bin upper bound in milliseconds (positive infinity for the last), each zero or more
     * @return false when memory for unwritten reports is full, or the edge's bucket holds {@link #MAX_BINS} other bounds,
     *         and the report was dropped (and counted)
     */
    public boolean addEnvoy(String mesh, String sourceKind, String source, String destinationNode, int port, long[] responses,
            SortedMap<Double, Long> bins) {
        return mergeEnvoy(new Key(mesh, currentBucket(), sourceKind, source, destinationNode, port), responses, bins);
    }

    private boolean mergeEnvoy(Key key, long[] responses, SortedMap<Double, Long> bins) {
        swap.readLock().lock();
        try {
            Map<Key, EnvoyTally> map = pendingEnvoy;
            EnvoyTally found = map.get(key);
            if (found == null) {
                if (map.size() + pending.size() >= MAX_PENDING) {
                    counters.ignored(Reason.OVERFLOW, 1);
                    return false;
                }
                found = map.computeIfAbsent(key, k -> new EnvoyTally());
            }
            EnvoyTally tally = found;
            synchronized (tally) {
                if (tally.bins.size() + bins.keySet().stream().filter(bound -> !tally.bins.containsKey(bound)).count() > MAX_BINS) {
                    counters.ignored(Reason.OVERFLOW, 1);
                    return false;
                }
                for (int i = 0; i < tally.responses.length; i++) {
                    tally.responses[i] += responses[i];
                }
                bins.forEach((bound, samples) -> tally.bins.merge(bound, samples, Long::sum));
            }
            return true;
        } finally {
            swap.readLock().unlock();
        }
    }

    private boolean merge(Key key, long issued, long successful, long errors, long inFlightMillis) {
        swap.readLock().lock();
        try {
            Map<Key, Tally> map = pending;
            Tally tally = map.get(key);
            if (tally == null) {
                if (map.size() + pendingEnvoy.size() >= MAX_PENDING) {
                    counters.ignored(Reason.OVERFLOW, 1);
                    return false;
                }
                tally = map.computeIfAbsent(key, k -> new Tally());
            }
            synchronized (tally) {
                tally.issued += issued;
                tally.successful += successful;
                tally.errors += errors;
                tally.inFlightMillis += inFlightMillis;
            }
            return true;
        } finally {
            swap.readLock().unlock();
        }
    }

    /** Writes every unwritten sum in batches; on failure keeps them for the next try (within the bound). */
    public void flush() {
        Map<Key, Tally> taken;
        Map<Key, EnvoyTally> takenEnvoy;
        swap.writeLock().lock();
        try {
            taken = pending;
            takenEnvoy = pendingEnvoy;
            if (taken.isEmpty() && takenEnvoy.isEmpty()) {
                return;
            }
            pending = new ConcurrentHashMap<>();
            pendingEnvoy = new ConcurrentHashMap<>();
        } finally {
            swap.writeLock().unlock();
        }
        if (!taken.isEmpty()) {
            flushLoad(taken);
        }
        if (!takenEnvoy.isEmpty()) {
            flushEnvoy(takenEnvoy);
        }
    }

    private void flushLoad(Map<Key, Tally> taken) {
        List<TrafficStore.Bucket> rows = new ArrayList<>(taken.size());
        taken.forEach((k, t) -> rows.add(new TrafficStore.Bucket(k.mesh(), k.bucket(), k.sourceKind(), k.source(),
                k.destinationNode(), k.port(), t.issued, t.successful, t.errors, t.inFlightMillis)));
        long start = System.nanoTime();
        try {
            store.add(rows);
            counters.wrote(Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException e) {
            log.warn("Could not write {} traffic sums ({}); keeping them for the next try", rows.size(), e.toString());
            taken.forEach((k, t) -> merge(k, t.issued, t.successful, t.errors, t.inFlightMillis));
            return;
        }
        taken.forEach((k, t) -> series.load(k.mesh(), k.destinationNode(), t.issued, t.errors));
    }

    private void flushEnvoy(Map<Key, EnvoyTally> taken) {
        List<TrafficStore.ResponseBucket> responses = new ArrayList<>();
        List<TrafficStore.LatencyBucket> latency = new ArrayList<>();
        taken.forEach((k, t) -> {
            if (Arrays.stream(t.responses).anyMatch(n -> n > 0)) {
                responses.add(new TrafficStore.ResponseBucket(k.mesh(), k.bucket(), k.sourceKind(), k.source(),
                        k.destinationNode(), k.port(), t.responses));
            }
            t.bins.forEach((bound, samples) -> {
                if (samples > 0) {
                    latency.add(new TrafficStore.LatencyBucket(k.mesh(), k.bucket(), k.sourceKind(), k.source(),
                            k.destinationNode(), k.port(), bound, samples));
                }
            });
        });
        long start = System.nanoTime();
        try {
            store.addEnvoyMetrics(responses, latency);
            counters.wrote(Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException e) {
            log.warn("Could not write {} sums of Envoy's metrics ({}); keeping them for the next try", taken.size(), e.toString());
            taken.forEach((k, t) -> mergeEnvoy(k, t.responses, t.bins));
            return;
        }
        taken.forEach((k, t) -> series.envoy(k.mesh(), k.destinationNode(), t.responses, t.bins));
    }

    /** Deletes buckets older than the retention, at most once a minute (any replica may: deleting twice is harmless). */
    void ageOut() {
        long now = System.currentTimeMillis();
        if (now - lastAgeOut < 60_000) {
            return;
        }
        lastAgeOut = now;
        try {
            store.deleteBefore(Instant.ofEpochMilli(now).minus(properties.retention()));
        } catch (RuntimeException e) {
            log.debug("Could not delete old traffic buckets: {}", e.toString());
        }
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "meshplane-traffic-write");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.reportingInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> {
            flush();
            ageOut();
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
            flush(); // what this replica received is not lost on a graceful stop
        }
    }

    /** Stops after the xDS server (lower phases stop later), so the last reports it took are written. */
    @Override
    public int getPhase() {
        return dev.meshplane.controlplane.xds.XdsServer.PHASE - 1;
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
