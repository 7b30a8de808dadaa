package dev.meshplane.api.security;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** An authorization policy as stored. */
@Schema(description = "An authorization policy with its version (incremented by every update) and timestamps")
public record AuthorizationPolicyData(
        @Schema(description = "The mesh") String meshName,
        @Schema(description = "The policy's name") String policyName,
        @Schema(description = "What it allows or denies") AuthorizationPolicySpec spec,
        @Schema(description = "Version, from 1") long version,
        @Schema(description = "Created (epoch seconds)") Instant createdAt,
        @Schema(description = "Last updated (epoch seconds)") Instant lastUpdatedAt) {
}
