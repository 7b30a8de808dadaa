package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Lifecycle state of a gateway route.")
public record GatewayRouteStatus(
        @NotNull GatewayRouteStatusCode status) {
}
