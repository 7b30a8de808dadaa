package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

@Schema(description = "The virtual service (and optional port) a gateway route sends traffic to.")
public record GatewayRouteTarget(
        @Min(1) @Max(65535) Integer port,
        @NotNull @Valid GatewayRouteVirtualService virtualService) {
}
