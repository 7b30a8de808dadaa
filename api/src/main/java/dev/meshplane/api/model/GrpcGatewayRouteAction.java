package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Where a gRPC gateway route sends traffic and how it rewrites it.")
public record GrpcGatewayRouteAction(
        @Valid GrpcGatewayRouteRewrite rewrite,
        @NotNull @Valid GatewayRouteTarget target) {
}
