package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "How the listener validates client certificates.")
public record ListenerTlsValidationContext(
        @Valid SubjectAlternativeNames subjectAlternativeNames,
        @NotNull @Valid ListenerTlsValidationContextTrust trust) {
}
