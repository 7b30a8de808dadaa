package dev.meshplane.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Traffic reported by proxies, in time buckets shared by every replica (table {@code traffic_bucket}).
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

    /** Deletes every bucket that starts before {@code before}; returns how many. */
    public int deleteBefore(Instant before) {
        return jdbc.update("delete from traffic_bucket where bucket_start < ?", Timestamp.from(before));
    }
}
