package dev.meshplane.api.tracing;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A mesh's tracing settings as stored, with their version. */
@Schema(description = "A mesh's tracing settings with their version (incremented by every update; send it back in If-Match)"
        + " and timestamps")
public record MeshTracingData(
        @Schema(description = "The mesh") String meshName,
        @Schema(description = "The settings") TracingSpec spec,
        @Schema(description = "Version, from 1") long version,
        @Schema(description = "Created (epoch seconds)") Instant createdAt,
        @Schema(description = "Last updated (epoch seconds)") Instant lastUpdatedAt) {
}
