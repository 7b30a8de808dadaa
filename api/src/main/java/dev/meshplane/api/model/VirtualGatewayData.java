package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "A virtual gateway as stored: spec, status and metadata.")
public record VirtualGatewayData(
        @NotNull @Size(min = 1, max = 255) String meshName,
        @NotNull @Valid ResourceMetadata metadata,
        @NotNull @Valid VirtualGatewaySpec spec,
        @NotNull @Valid VirtualGatewayStatus status,
        @NotNull @Size(min = 1, max = 255) String virtualGatewayName) {
}
