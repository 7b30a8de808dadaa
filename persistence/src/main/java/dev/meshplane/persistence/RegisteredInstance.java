package dev.meshplane.persistence;

import java.time.Instant;
import java.util.Map;

/**
 * A registered instance as stored.
 *
 * @param healthStatus HEALTHY or UNHEALTHY
 * @param ttlSeconds   null when the instance never expires
 * @param expiresAt    when it stops receiving traffic unless renewed; null without a TTL
 */
public record RegisteredInstance(
        String namespace,
        String service,
        String instanceId,
        Map<String, String> attributes,
        String healthStatus,
        Integer ttlSeconds,
        Instant expiresAt,
        Instant createdAt,
        Instant updatedAt) {

    /** Whether the instance may receive traffic at the given time. */
    public boolean live(Instant now) {
        return "HEALTHY".equals(healthStatus) && (expiresAt == null || expiresAt.isAfter(now));
    }
}
