package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "A gateway route for gRPC traffic.")
public record GrpcGatewayRoute(
        @NotNull @Valid GrpcGatewayRouteAction action,
        @NotNull @Valid GrpcGatewayRouteMatch match) {
}
