package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "A port the virtual gateway accepts traffic on.")
public record VirtualGatewayListener(
        @Valid VirtualGatewayConnectionPool connectionPool,
        @Valid VirtualGatewayHealthCheckPolicy healthCheck,
        @NotNull @Valid VirtualGatewayPortMapping portMapping,
        @Valid VirtualGatewayListenerTls tls) {
}
