package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "A gateway route as stored: spec, status and metadata.")
public record GatewayRouteData(
        @NotNull @Size(min = 1, max = 255) String gatewayRouteName,
        @NotNull @Size(min = 1, max = 255) String meshName,
        @NotNull @Valid ResourceMetadata metadata,
        @NotNull @Valid GatewayRouteSpec spec,
        @NotNull @Valid GatewayRouteStatus status,
        @NotNull @Size(min = 1, max = 255) String virtualGatewayName) {
}
