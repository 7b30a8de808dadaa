package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "How the proxy behaves as a client of a backend.")
public record ClientPolicy(
        @Valid ClientPolicyTls tls) {
}
