package dev.meshplane.api.registry;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/** A registered instance. */
@Schema(description = "A registered instance of a registry service.")
public record InstanceData(
        String namespaceName,
        String serviceName,
        String instanceId,
        Map<String, String> attributes,
        HealthStatus healthStatus,
        Integer ttlSeconds,
        @Schema(type = "number", format = "double", description = "When it stops receiving traffic unless renewed (epoch seconds)")
        Instant expiresAt,
        @Schema(description = "Whether the instance receives traffic now: healthy and not expired")
        boolean live,
        @Schema(type = "number", format = "double", description = "Seconds since the Unix epoch.")
        Instant createdAt,
        @Schema(type = "number", format = "double", description = "Seconds since the Unix epoch.")
        Instant updatedAt) {
}
