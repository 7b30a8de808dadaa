package dev.meshplane.api.security;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Meshplane's mesh-wide mTLS switch ({@code /v1/meshes/{mesh}/mtls}): with STRICT every virtual
 * node's listeners without TLS of their own require a client certificate from the mesh's CA, with
 * PERMISSIVE they accept mTLS and plaintext side by side; in both, sidecars and gateways call
 * virtual nodes with mTLS, checking the target's SPIFFE id. Translation reads it from the mesh view.
 */
public enum MtlsMode {
    STRICT, PERMISSIVE, DISABLED;

    @JsonValue
    public String wireValue() {
        return name();
    }
}
