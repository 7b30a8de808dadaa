package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Trusted CA certificates delivered over SDS under this secret name.")
public record TlsValidationContextSdsTrust(
        @NotNull String secretName) {
}
