package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

@Schema(description = "A certificate delivered over SDS under this secret name.")
public record ListenerTlsSdsCertificate(
        @NotNull String secretName) {
}
