package dev.meshplane.controlplane.xds;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Part of readiness ({@code /actuator/health/readiness}): a replica takes proxies only once it has
 * read every mesh, so the first proxies of each are configured from memory at once.
 */
@Component("snapshots")
public class SnapshotsHealthIndicator implements HealthIndicator {

    private final ConfigPublisher publisher;
    private final XdsServer xds;

    public SnapshotsHealthIndicator(ConfigPublisher publisher, XdsServer xds) {
        this.publisher = publisher;
        this.xds = xds;
    }

    @Override
    public Health health() {
        if (!publisher.primed()) {
            return Health.outOfService().withDetail("meshes", "not read yet").build();
        }
        return Health.up().withDetail("meshes", "read").withDetail("openStreams", xds.openStreams()).build();
    }
}
