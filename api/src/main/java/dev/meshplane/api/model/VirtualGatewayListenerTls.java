package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema
public record VirtualGatewayListenerTls(
        @NotNull @Valid VirtualGatewayListenerTlsCertificate certificate,
        @NotNull VirtualGatewayListenerTlsMode mode,
        @Valid VirtualGatewayListenerTlsValidationContext validation) {
}
