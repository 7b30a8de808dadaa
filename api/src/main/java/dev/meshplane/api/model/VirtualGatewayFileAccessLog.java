package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "An access log written to a file path on the gateway's proxy (a file, not a directory: Envoy"
        + " refuses the listener when it cannot open it), optionally with a text or JSON format.")
public record VirtualGatewayFileAccessLog(
        @Valid LoggingFormat format,
        @NotNull @Size(min = 1, max = 255) String path) {
}
