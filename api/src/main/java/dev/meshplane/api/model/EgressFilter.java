package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Whether traffic to destinations outside the mesh is allowed.")
public record EgressFilter(
        @NotNull EgressFilterType type) {
}
