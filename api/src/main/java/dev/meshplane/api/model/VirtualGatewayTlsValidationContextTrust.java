package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema
@ExactlyOneMember
public record VirtualGatewayTlsValidationContextTrust(
        @Valid VirtualGatewayTlsValidationContextAcmTrust acm,
        @Valid VirtualGatewayTlsValidationContextFileTrust file,
        @Valid VirtualGatewayTlsValidationContextSdsTrust sds) {
}
