package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "How a client validates its backend's certificate.")
public record TlsValidationContext(
        @Valid SubjectAlternativeNames subjectAlternativeNames,
        @NotNull @Valid TlsValidationContextTrust trust) {
}
