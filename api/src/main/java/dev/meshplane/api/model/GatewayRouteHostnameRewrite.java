package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "Whether the gateway rewrites the host name to the target virtual service's name.")
public record GatewayRouteHostnameRewrite(
        DefaultGatewayRouteRewrite defaultTargetHostname) {
}
