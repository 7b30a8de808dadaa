package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "Certificate chain and private key as file paths on the proxy.")
public record ListenerTlsFileCertificate(
        @NotNull @Size(min = 1, max = 255) String certificateChain,
        @NotNull @Size(min = 1, max = 255) String privateKey) {
}
