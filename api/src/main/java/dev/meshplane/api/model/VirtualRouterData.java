package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "A virtual router as stored: spec, status and metadata.")
public record VirtualRouterData(
        @NotNull @Size(min = 1, max = 255) String meshName,
        @NotNull @Valid ResourceMetadata metadata,
        @NotNull @Valid VirtualRouterSpec spec,
        @NotNull @Valid VirtualRouterStatus status,
        @NotNull @Size(min = 1, max = 255) String virtualRouterName) {
}
