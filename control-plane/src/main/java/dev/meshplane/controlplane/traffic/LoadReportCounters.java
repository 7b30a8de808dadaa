package dev.meshplane.controlplane.traffic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What became of load reports, for Prometheus: cluster reports accepted, reports ignored by reason
 * ({@code meshplane_traffic_reports_ignored_total{reason}}), and the writes to PostgreSQL.
 */
@Component
public class LoadReportCounters {

    /** Why a report, or one cluster's part of it, was not stored. */
    public enum Reason {
        /** The stream's node names no virtual node or gateway of a mesh this server holds. */
        UNKNOWN_NODE,
        /** A request naming another node than the stream's first, or a node its credential is not for. */
        OTHER_NODE,
        /** A cluster that is not one of the caller's clusters towards a virtual node listener of its mesh. */
        UNKNOWN_CLUSTER,
        /** A count below zero (a uint64 above 2^63). */
        NEGATIVE,
        /** More requests finished than were issued since the last report plus those then in progress. */
        INCONSISTENT,
        /** More requests per second, or in progress, than {@code meshplane.traffic.max-requests-per-second}. */
        RATE,
        /** Memory for unwritten reports is full (the database has been away too long). */
        OVERFLOW
    }

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Map<Reason, Counter> ignored = new ConcurrentHashMap<>();
    private final Timer writes;

    public LoadReportCounters(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = Counter.builder("meshplane.traffic.reports.accepted")
                .description("Clusters' load reports accepted from proxies").register(registry);
        this.writes = Timer.builder("meshplane.traffic.writes")
                .description("Batches of load written to PostgreSQL, one per replica and reporting interval").register(registry);
        for (Reason reason : Reason.values()) {
            ignored(reason);
        }
    }

    private Counter ignored(Reason reason) {
        return ignored.computeIfAbsent(reason, r -> Counter.builder("meshplane.traffic.reports.ignored")
                .description("Load reports (or clusters of one) not stored, by reason")
                .tag("reason", r.name().toLowerCase(Locale.ROOT)).register(registry));
    }

    void accepted() {
        accepted.increment();
    }

    /** Counts a report (or one cluster of it) ignored. */
    public void ignored(Reason reason, int count) {
        ignored(reason).increment(count);
    }

    void wrote(Duration took) {
        writes.record(took);
    }

    /** How many reports were ignored for this reason since start-up. */
    public double ignoredCount(Reason reason) {
        return ignored(reason).count();
    }

    /** How many clusters' reports were accepted since start-up. */
    public double acceptedCount() {
        return accepted.count();
    }

    /** How many batches were written since start-up. */
    public long writeCount() {
        return writes.count();
    }
}
