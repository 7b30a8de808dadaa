package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

@Schema
public record VirtualGatewayHttp2ConnectionPool(
        @NotNull @Min(1) Integer maxRequests) {
}
