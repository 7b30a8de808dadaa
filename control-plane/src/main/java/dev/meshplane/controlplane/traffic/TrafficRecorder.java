package dev.meshplane.controlplane.traffic;

import dev.meshplane.controlplane.traffic.LoadReportCounters.Reason;
import dev.meshplane.persistence.TrafficStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Sums accepted load in memory per mesh, caller, callee listener and time bucket, and writes the sums
 * to PostgreSQL once per reporting interval in one batch (adding to what other replicas wrote); deletes
 * buckets older than the retention. Memory is bounded: beyond {@link #MAX_PENDING} unwritten sums (the
 * database away for long), new load is dropped and counted ({@code reason="overflow"}).
 */
@Component
public class TrafficRecorder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TrafficRecorder.class);

    /** Unwritten sums kept at most: one per mesh, caller, callee listener and bucket. */
    static final int MAX_PENDING = 100_000;

    private record Key(String mesh, Instant bucket, String sourceKind, String source, String destinationNode, int port) {
    }

    private static final class Tally {
        long issued;
        long successful;
        long errors;
        long inFlightMillis;
    }

    private final TrafficStore store;
    private final TrafficProperties properties;
    private final LoadReportCounters counters;
    /** Adders share the read lock; the flush takes the write lock to swap the map. */
    private final ReadWriteLock swap = new ReentrantReadWriteLock();
    private volatile Map<Key, Tally> pending = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;
    private volatile long lastAgeOut;

    public TrafficRecorder(TrafficStore store, TrafficProperties properties, LoadReportCounters counters) {
        this.store = store;
        this.properties = properties;
        this.counters = counters;
    }

    /**
     * Adds one caller's load towards one callee listener, reported now over {@code elapsedMillis}.
     *
     * @return false when memory for unwritten load is full and the load was dropped (and counted)
     */
    public boolean add(String mesh, String sourceKind, String source, String destinationNode, int port, long issued,
            long successful, long errors, long inProgress, long elapsedMillis) {
        long bucketMillis = properties.bucket().toMillis();
        Instant bucket = Instant.ofEpochMilli(System.currentTimeMillis() / bucketMillis * bucketMillis);
        return merge(new Key(mesh, bucket, sourceKind, source, destinationNode, port), issued, successful, errors,
                inProgress * elapsedMillis);
    }

    private boolean merge(Key key, long issued, long successful, long errors, long inFlightMillis) {
        swap.readLock().lock();
        try {
            Map<Key, Tally> map = pending;
            Tally tally = map.get(key);
            if (tally == null) {
                if (map.size() >= MAX_PENDING) {
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

    /** Writes every unwritten sum in one batch; on failure keeps them for the next try (within the bound). */
    public void flush() {
        Map<Key, Tally> taken;
        swap.writeLock().lock();
        try {
            taken = pending;
            if (taken.isEmpty()) {
                return;
            }
            pending = new ConcurrentHashMap<>();
        } finally {
            swap.writeLock().unlock();
        }
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
        }
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
