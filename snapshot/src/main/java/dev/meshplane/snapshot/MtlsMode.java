package dev.meshplane.snapshot;

/**
 * Meshplane's mesh-wide mTLS switch ({@code /v1/meshes/{mesh}/mtls}): with STRICT every virtual
 * node's listeners require a client certificate from the mesh's CA, with PERMISSIVE they accept
 * mTLS and plaintext side by side; in both, sidecars and gateways call virtual nodes with mTLS,
 * checking the target's SPIFFE id. A listener or client policy with TLS of its own keeps it.
 */
public enum MtlsMode {
    DISABLED, PERMISSIVE, STRICT
}
