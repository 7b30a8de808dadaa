package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Where trusted CA certificates come from.")
@ExactlyOneMember
public record TlsValidationContextTrust(
        @Valid TlsValidationContextAcmTrust acm,
        @Valid TlsValidationContextFileTrust file,
        @Valid TlsValidationContextSdsTrust sds) {
}
