package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "The certificate a proxy presents to a backend for mutual TLS: a file or an SDS secret.")
@ExactlyOneMember
public record ClientTlsCertificate(
        @Valid ListenerTlsFileCertificate file,
        @Valid ListenerTlsSdsCertificate sds) {
}
