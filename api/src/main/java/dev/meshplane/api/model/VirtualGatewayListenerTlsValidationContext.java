package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema
public record VirtualGatewayListenerTlsValidationContext(
        @Valid SubjectAlternativeNames subjectAlternativeNames,
        @NotNull @Valid VirtualGatewayListenerTlsValidationContextTrust trust) {
}
