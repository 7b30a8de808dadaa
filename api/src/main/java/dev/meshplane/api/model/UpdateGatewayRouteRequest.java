package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Body of a UpdateGatewayRoute request.")
public record UpdateGatewayRouteRequest(
        String clientToken,
        @NotNull @Valid GatewayRouteSpec spec) {
}
