package dev.meshplane.controlplane.traffic;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Load reports from proxies (Envoy's and gRPC's Load Reporting Service) and what is kept of them.
 *
 * @param reportingInterval     how often proxies are asked to report (sent in the LoadStatsResponse); also how
 *                              often each replica writes what it received to PostgreSQL
 * @param bucket                the time bucket reports are summed in
 * @param retention             how long buckets are kept (the longest window a traffic query may ask for)
 * @param maxRequestsPerSecond  the most requests per second, and requests in progress, one proxy may report
 *                              towards one callee listener in one report (or responses and latency samples in one
 *                              message of Envoy's metrics); a report beyond it is ignored and counted
 * @param maxSeries             the most pairs of mesh and virtual node with traffic series in Prometheus, per replica
 */
@ConfigurationProperties("meshplane.traffic")
public record TrafficProperties(
        @DefaultValue("10s") Duration reportingInterval,
        @DefaultValue("10s") Duration bucket,
        @DefaultValue("1h") Duration retention,
        @DefaultValue("100000") long maxRequestsPerSecond,
        @DefaultValue("500") int maxSeries) {

    public TrafficProperties {
        if (reportingInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("meshplane.traffic.reporting-interval must be at least 100ms, got " + reportingInterval);
        }
        if (bucket.compareTo(Duration.ofSeconds(1)) < 0 || retention.compareTo(bucket) < 0) {
            throw new IllegalArgumentException("meshplane.traffic.bucket must be at least 1s and at most"
                    + " meshplane.traffic.retention, got " + bucket + " and " + retention);
        }
        if (maxRequestsPerSecond < 1) {
            throw new IllegalArgumentException("meshplane.traffic.max-requests-per-second must be positive, got "
                    + maxRequestsPerSecond);
        }
        if (maxSeries < 0) {
            throw new IllegalArgumentException("meshplane.traffic.max-series must be zero or more, got " + maxSeries);
        }
    }
}
