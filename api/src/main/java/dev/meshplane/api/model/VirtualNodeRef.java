package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

@Schema(description = "A virtual node in a list response.")
public record VirtualNodeRef(
        @NotNull String arn,
        @NotNull @Schema(type = "number", format = "double", description = "Seconds since the Unix epoch.") Instant createdAt,
        @NotNull @Schema(type = "number", format = "double", description = "Seconds since the Unix epoch.") Instant lastUpdatedAt,
        @NotNull @Size(min = 1, max = 255) String meshName,
        @NotNull @Size(min = 12, max = 12) String meshOwner,
        @NotNull @Size(min = 12, max = 12) String resourceOwner,
        @NotNull Long version,
        @NotNull @Size(min = 1, max = 255) String virtualNodeName) {
}
