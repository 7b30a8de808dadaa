package dev.meshplane.api.security;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A mesh's certificate authorities, as {@code /v1/meshes/{mesh}/ca} shows them (never a private key). */
@Schema(description = "The mesh's CAs and trust bundle. Proxies get their certificate over SDS as secret"
        + " meshplane:identity (SPIFFE id spiffe://<mesh>/virtualNode/<name> or .../virtualGateway/<name>) and the"
        + " trust bundle as meshplane:trust.")
public record CertificateAuthorityData(
        @Schema(description = "Every trusted CA certificate, PEM: the active one and, while a rotation overlaps, the previous")
        String trustBundlePem,
        @Schema(description = "The mesh's CAs, newest first") List<Authority> authorities,
        @Schema(description = "SDS secret name of a proxy's own certificate", example = "meshplane:identity")
        String identitySecretName,
        @Schema(description = "SDS secret name of the trust bundle", example = "meshplane:trust")
        String trustSecretName) {

    /** One CA. */
    public record Authority(
            @Schema(description = "ACTIVE signs new certificates; PREVIOUS is still trusted; RETIRED is not") String state,
            @Schema(description = "The certificate's subject") String subject,
            @Schema(description = "Serial number, hexadecimal") String serialNumber,
            @Schema(description = "End of validity (epoch seconds)") Instant notAfter,
            @Schema(description = "Imported by a user rather than generated") boolean imported,
            @Schema(description = "When it was added (epoch seconds)") Instant createdAt) {
    }
}
