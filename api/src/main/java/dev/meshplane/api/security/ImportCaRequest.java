package dev.meshplane.api.security;

import dev.meshplane.api.validation.MultiLineText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT /v1/meshes/{mesh}/ca}: a CA of the user's own, made the mesh's active CA. */
@Schema(description = "A CA certificate (basicConstraints CA:true; EC or RSA) and its unencrypted private key, both PEM."
        + " It becomes the mesh's active CA; the one it replaces stays trusted until the overlap is ended."
        + " The key is stored encrypted and never returned.")
public record ImportCaRequest(
        @Schema(description = "The CA certificate, PEM") @MultiLineText @NotNull @Size(min = 1, max = 65_536) String certificatePem,
        @Schema(description = "Its private key, PEM (PKCS#8 or traditional)") @MultiLineText @NotNull @Size(min = 1, max = 65_536)
        String privateKeyPem) {
}
