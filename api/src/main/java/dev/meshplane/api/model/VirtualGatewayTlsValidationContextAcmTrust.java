package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema
public record VirtualGatewayTlsValidationContextAcmTrust(
        @NotNull @Size(min = 1, max = 3) List<@NotNull String> certificateAuthorityArns) {
}
