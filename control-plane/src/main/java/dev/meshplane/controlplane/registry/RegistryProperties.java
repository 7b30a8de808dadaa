package dev.meshplane.controlplane.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The instance registry.
 *
 * @param expiredRetention how long an instance whose TTL ran out stays listed (unhealthy, and never
 *                         routed to) before the leader's cleanup deletes it
 */
@ConfigurationProperties("meshplane.registry")
public record RegistryProperties(@DefaultValue("1h") Duration expiredRetention) {
}
