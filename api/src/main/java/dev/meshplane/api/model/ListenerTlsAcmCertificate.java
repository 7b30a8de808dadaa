package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

@Schema(description = "An AWS Certificate Manager certificate. Meshplane cannot read ACM and refuses it.")
public record ListenerTlsAcmCertificate(
        @NotNull String certificateArn) {
}
