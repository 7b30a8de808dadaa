package dev.meshplane.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Traffic reported by proxies, in time buckets shared by every replica: load reports (table
 * {@code traffic_bucket}) and, from Envoy's metrics service, responses per status class
 * ({@code traffic_response_bucket}) and latency histogram bins ({@code traffic_latency_bucket}).
 * Writes add to a bucket's counts instead of replacing them, so replicas writing the same bucket at the
 * same time both count.
 */
@Service
@Transactional
public class TrafficStore {

    /** Who called whom in one bucket, and how it went. */
    public record Bucket(String mesh, Instant start, String sourceKind, String source, String destinationNode,
            int destinationPort, long issued, long successful, long errors, long inFlightMillis) {

        /** The same rows are always locked in this order, so two replicas' batches cannot deadlock. */
        static final Comparator<Bucket> LOCK_ORDER = Comparator.comparing(Bucket::mesh).thenComparing(Bucket::start)
                .thenComparing(Bucket::sourceKind).thenComparing(Bucket::source).thenComparing(Bucket::destinationNode)
                .thenComparingInt(Bucket::destinationPort);
    }

    /** One caller and callee listener's totals over a span of buckets. */
    public record EdgeTotals(String sourceKind, String source, String destinationNode, int destinationPort, long issued,
            long successful, long errors, long inFlightMillis) {
    }

    /** One caller and callee listener in one bucket: responses per status class, 1xx to 5xx (index 0 to 4). */
    public record ResponseBucket(String mesh, Instant start, String sourceKind, String source, String destinationNode,
            int destinationPort, long[] responses) {

        static final Comparator<ResponseBucket> LOCK_ORDER = Comparator.comparing(ResponseBucket::mesh)
                .thenComparing(ResponseBucket::start).thenComparing(ResponseBucket::sourceKind)
                .thenComparing(ResponseBucket::source).thenComparing(ResponseBucket::destinationNode)
                .thenComparingInt(ResponseBucket::destinationPort);
    }

    /**
     * One caller and callee listener in one bucket: latency samples in one histogram bin, above the previous
     * bound up to {@code upperBoundMillis} (positive infinity for the samples above the last finite bound).
     */
    public record LatencyBucket(String mesh, Instant start, String sourceKind, String source, String destinationNode,
            int destinationPort, double upperBoundMillis, long samples) {

        static final Comparator<LatencyBucket> LOCK_ORDER = Comparator.comparing(LatencyBucket::mesh)
                .thenComparing(LatencyBucket::start).thenComparing(LatencyBucket::sourceKind)
                .thenComparing(LatencyBucket::source).thenComparing(LatencyBucket::destinationNode)
                .thenComparingInt(LatencyBucket::destinationPort).thenComparingDouble(LatencyBucket::upperBoundMillis);
    }

    /** An edge: a caller ({@code virtualNode} or {@code virtualGateway}, and its name) and a callee listener. */
    public record EdgeKey(String sourceKind, String source, String destinationNode, int destinationPort) {
    }

    private final JdbcTemplate jdbc;

    public TrafficStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Adds the buckets' counts to what is stored (creating the rows that are missing), in one batch
     * statement and one transaction.
     *
     * @param buckets counts that are all zero or more (the table refuses negative ones)
     */
    public void add(List<Bucket> buckets) {
        if (buckets.isEmpty()) {
            return;
        }
        List<Object[]> rows = buckets.stream().sorted(Bucket.LOCK_ORDER).map(b -> new Object[] {b.mesh(),
                Timestamp.from(b.start()), b.sourceKind(), b.source(), b.destinationNode(), b.destinationPort(), b.issued(),
                b.successful(), b.errors(), b.inFlightMillis()}).toList();
        jdbc.batchUpdate("insert into traffic_bucket (mesh_name, bucket_start, source_kind, source_name, destination_node,"
                + " destination_port, issued, successful, errors, in_flight_millis) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (mesh_name, bucket_start, source_kind, source_name, destination_node, destination_port)"
                + " do update set issued = traffic_bucket.issued + excluded.issued,"
                + " successful = traffic_bucket.successful + excluded.successful,"
                + " errors = traffic_bucket.errors + excluded.errors,"
                + " in_flight_millis = traffic_bucket.in_flight_millis + excluded.in_flight_millis", rows);
    }

    /**
     * Adds responses per status class and latency bins to what is stored (creating the rows that are missing),
     * in batch statements within one transaction.
     *
     * @param responses counts that are all zero or more
     * @param latency   bins with a positive upper bound (or positive infinity) and zero or more samples
     */
    public void addEnvoyMetrics(List<ResponseBucket> responses, List<LatencyBucket> latency) {
        if (!responses.isEmpty()) {
            jdbc.batchUpdate("insert into traffic_response_bucket (mesh_name, bucket_start, source_kind, source_name,"
                    + " destination_node, destination_port, responses_1xx, responses_2xx, responses_3xx, responses_4xx,"
                    + " responses_5xx) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (mesh_name, bucket_start, source_kind, source_name, destination_node, destination_port)"
                    + " do update set responses_1xx = traffic_response_bucket.responses_1xx + excluded.responses_1xx,"
                    + " responses_2xx = traffic_response_bucket.responses_2xx + excluded.responses_2xx,"
                    + " responses_3xx = traffic_response_bucket.responses_3xx + excluded.responses_3xx,"
                    + " responses_4xx = traffic_response_bucket.responses_4xx + excluded.responses_4xx,"
                    + " responses_5xx = traffic_response_bucket.responses_5xx + excluded.responses_5xx",
                    responses.stream().sorted(ResponseBucket.LOCK_ORDER).map(b -> new Object[] {b.mesh(),
                            Timestamp.from(b.start()), b.sourceKind(), b.source(), b.destinationNode(), b.destinationPort(),
                            b.responses()[0], b.responses()[1], b.responses()[2], b.responses()[3], b.responses()[4]}).toList());
        }
        if (!latency.isEmpty()) {
            jdbc.batchUpdate("insert into traffic_latency_bucket (mesh_name, bucket_start, source_kind, source_name,"
                    + " destination_node, destination_port, upper_bound_millis, samples) values (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (mesh_name, bucket_start, source_kind, source_name, destination_node, destination_port,"
                    + " upper_bound_millis) do update set samples = traffic_latency_bucket.samples + excluded.samples",
                    latency.stream().sorted(LatencyBucket.LOCK_ORDER).map(b -> new Object[] {b.mesh(),
                            Timestamp.from(b.start()), b.sourceKind(), b.source(), b.destinationNode(), b.destinationPort(),
                            b.upperBoundMillis(), b.samples()}).toList());
        }
    }

    /** Per caller and callee listener, responses per status class (1xx to 5xx) in the mesh's buckets from {@code from}. */
    @Transactional(readOnly = true)
    public Map<EdgeKey, long[]> responseTotals(String mesh, Instant from) {
        Map<EdgeKey, long[]> totals = new LinkedHashMap<>();
        jdbc.query("select source_kind, source_name, destination_node, destination_port, sum(responses_1xx),"
                + " sum(responses_2xx), sum(responses_3xx), sum(responses_4xx), sum(responses_5xx)"
                + " from traffic_response_bucket where mesh_name = ? and bucket_start >= ?"
                + " group by source_kind, source_name, destination_node, destination_port",
                rs -> {
                    totals.put(new EdgeKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)),
                            new long[] {rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)});
                }, mesh, Timestamp.from(from));
        return totals;
    }

    /**
     * Per caller and callee listener, latency samples per bin upper bound (ascending, positive infinity last)
     * in the mesh's buckets from {@code from}.
     */
    @Transactional(readOnly = true)
    public Map<EdgeKey, SortedMap<Double, Long>> latencyTotals(String mesh, Instant from) {
        Map<EdgeKey, SortedMap<Double, Long>> totals = new LinkedHashMap<>();
        jdbc.query("select source_kind, source_name, destination_node, destination_port, upper_bound_millis, sum(samples)"
                + " from traffic_latency_bucket where mesh_name = ? and bucket_start >= ?"
                + " group by source_kind, source_name, destination_node, destination_port, upper_bound_millis",
                rs -> {
                    totals.computeIfAbsent(new EdgeKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)),
                            k -> new TreeMap<>()).put(rs.getDouble(5), rs.getLong(6));
                }, mesh, Timestamp.from(from));
        return totals;
    }

    /** Per caller and callee listener, the sums of the mesh's buckets that start at {@code from} or later. */
    @Transactional(readOnly = true)
    public List<EdgeTotals> totals(String mesh, Instant from) {
        return jdbc.query("select source_kind, source_name, destination_node, destination_port, sum(issued), sum(successful),"
                + " sum(errors), sum(in_flight_millis) from traffic_bucket where mesh_name = ? and bucket_start >= ?"
                + " group by source_kind, source_name, destination_node, destination_port"
                + " order by source_kind, source_name, destination_node, destination_port",
                (rs, n) -> new EdgeTotals(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8)),
                mesh, Timestamp.from(from));
    }

    /** Deletes every bucket (of load, responses and latency) that starts before {@code before}; returns how many rows. */
    public int deleteBefore(Instant before) {
        Timestamp at = Timestamp.from(before);
        return jdbc.update("delete from traffic_bucket where bucket_start < ?", at)
                + jdbc.update("delete from traffic_response_bucket where bucket_start < ?", at)
                + jdbc.update("delete from traffic_latency_bucket where bucket_start < ?", at);
    }
}
