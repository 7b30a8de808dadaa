package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Where the listener's trusted CA certificates come from.")
@ExactlyOneMember
public record ListenerTlsValidationContextTrust(
        @Valid TlsValidationContextFileTrust file,
        @Valid TlsValidationContextSdsTrust sds) {
}
