package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;

@Schema
public record VirtualGatewayClientPolicyTls(
        @Valid VirtualGatewayClientTlsCertificate certificate,
        Boolean enforce,
        List<@NotNull @Min(1) @Max(65535) Integer> ports,
        @NotNull @Valid VirtualGatewayTlsValidationContext validation) {
}
