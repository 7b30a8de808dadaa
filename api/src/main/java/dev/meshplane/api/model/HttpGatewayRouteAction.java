package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Where an HTTP gateway route sends traffic and how it rewrites it.")
public record HttpGatewayRouteAction(
        @Valid HttpGatewayRouteRewrite rewrite,
        @NotNull @Valid GatewayRouteTarget target) {
}
