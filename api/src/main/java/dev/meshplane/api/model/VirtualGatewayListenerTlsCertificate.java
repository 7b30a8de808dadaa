package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema
@ExactlyOneMember
public record VirtualGatewayListenerTlsCertificate(
        @Valid VirtualGatewayListenerTlsAcmCertificate acm,
        @Valid VirtualGatewayListenerTlsFileCertificate file,
        @Valid VirtualGatewayListenerTlsSdsCertificate sds) {
}
