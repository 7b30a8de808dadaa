package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

@Schema
public record VirtualGatewayPortMapping(
        @NotNull @Min(1) @Max(65535) Integer port,
        @NotNull VirtualGatewayPortProtocol protocol) {
}
