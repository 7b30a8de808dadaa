package dev.meshplane.snapshot;

/**
 * The SDS secret names Meshplane serves itself, on each proxy's ADS stream. Name them in an App
 * Mesh spec ({@code tls.certificate.sds.secretName}, {@code validation.trust.sds.secretName}) or
 * let the mesh-wide mTLS switch use them.
 */
public final class BuiltInSecrets {

    /** The proxy's own certificate and private key, for its SPIFFE id, issued by the mesh's CA. */
    public static final String IDENTITY = "meshplane:identity";

    /** The mesh's trust bundle: its CA certificates (old and new while a rotation overlaps). */
    public static final String TRUST = "meshplane:trust";

    private BuiltInSecrets() {
    }

    /** The SPIFFE id of a virtual node or gateway: {@code spiffe://<mesh>/virtualNode/<name>}. */
    public static String spiffeId(ProxyId id) {
        return spiffeId(id.mesh(), id.kind() == ProxyId.Kind.GATEWAY ? "virtualGateway" : "virtualNode", id.name());
    }

    public static String spiffeId(String mesh, String kind, String name) {
        return "spiffe://" + mesh + "/" + kind + "/" + name;
    }
}
