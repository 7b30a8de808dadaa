package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "Names the target virtual service.")
public record GatewayRouteVirtualService(
        @NotNull @Size(min = 1, max = 255) String virtualServiceName) {
}
