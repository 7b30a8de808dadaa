package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "TLS a virtual node listener terminates.")
public record ListenerTls(
        @NotNull @Valid ListenerTlsCertificate certificate,
        @NotNull ListenerTlsMode mode,
        @Valid ListenerTlsValidationContext validation) {
}
