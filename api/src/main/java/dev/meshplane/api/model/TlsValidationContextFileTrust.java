package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "Trusted CA certificates from a file on the proxy.")
public record TlsValidationContextFileTrust(
        @NotNull @Size(min = 1, max = 255) String certificateChain) {
}
