package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "Trust in ACM Private CA certificates. Meshplane cannot read ACM and refuses it.")
public record TlsValidationContextAcmTrust(
        @NotNull @Size(min = 1, max = 3) List<@NotNull String> certificateAuthorityArns) {
}
