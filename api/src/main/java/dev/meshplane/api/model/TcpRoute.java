package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "A route for TCP traffic.")
public record TcpRoute(
        @NotNull @Valid TcpRouteAction action,
        @Valid TcpRouteMatch match,
        @Valid TcpTimeout timeout) {
}
