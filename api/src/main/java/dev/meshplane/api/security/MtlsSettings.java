package dev.meshplane.api.security;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

/** The body and answer of {@code /v1/meshes/{mesh}/mtls}. */
@Schema(description = "Meshplane's mesh-wide mTLS switch. STRICT: every virtual node listener without TLS of its own"
        + " requires a client certificate from the mesh's CA (secret meshplane:identity, trust meshplane:trust);"
        + " PERMISSIVE: such listeners accept mTLS and plaintext; in both, sidecars and gateways call virtual nodes"
        + " with mTLS and check the target's SPIFFE id (spiffe://<mesh>/virtualNode/<name>). DISABLED (the default):"
        + " only what the App Mesh specs say. Listeners and client policies with TLS of their own keep it.")
public record MtlsSettings(
        @Schema(description = "STRICT, PERMISSIVE or DISABLED") @NotNull MtlsMode mode) {
}
