package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

@Schema(description = "Replaces the matched prefix, or turns the default rewrite off.")
public record HttpGatewayRoutePrefixRewrite(
        DefaultGatewayRouteRewrite defaultPrefix,
        @Size(min = 1, max = 255) String value) {
}
