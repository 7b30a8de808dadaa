package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Host name, prefix and path rewrites of an HTTP gateway route.")
public record HttpGatewayRouteRewrite(
        @Valid GatewayRouteHostnameRewrite hostname,
        @Valid HttpGatewayRoutePathRewrite path,
        @Valid HttpGatewayRoutePrefixRewrite prefix) {
}
