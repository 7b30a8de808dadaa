package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "A gateway route for HTTP or HTTP/2 traffic.")
public record HttpGatewayRoute(
        @NotNull @Valid HttpGatewayRouteAction action,
        @NotNull @Valid HttpGatewayRouteMatch match) {
}
