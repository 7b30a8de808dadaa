package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema
public record VirtualGatewayFileAccessLog(
        @Valid LoggingFormat format,
        @NotNull @Size(min = 1, max = 255) String path) {
}
