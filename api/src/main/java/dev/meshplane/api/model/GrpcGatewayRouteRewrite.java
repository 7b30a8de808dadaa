package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Host name rewrite of a gRPC gateway route.")
public record GrpcGatewayRouteRewrite(
        @Valid GatewayRouteHostnameRewrite hostname) {
}
