package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "The listener's certificate: a file, an SDS secret, or (refused by Meshplane) ACM.")
@ExactlyOneMember
public record ListenerTlsCertificate(
        @Valid ListenerTlsAcmCertificate acm,
        @Valid ListenerTlsFileCertificate file,
        @Valid ListenerTlsSdsCertificate sds) {
}
