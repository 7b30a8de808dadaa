package dev.meshplane.snapshot;

import dev.meshplane.api.security.MtlsMode;
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

    /**
     * Does this proxy need the built-in secrets: is the mesh-wide mTLS switch on, or does its node's
     * or gateway's spec name one of them? Envoy asks for SDS secrets only when its configuration
     * names them, so certificates are issued only for proxies that will use them.
     */
    public static boolean neededBy(MeshView view, ProxyId id) {
        if (view == null) {
            return false;
        }
        if (view.mtls() != MtlsMode.DISABLED) {
            return true;
        }
        Object spec = id.kind() == ProxyId.Kind.GATEWAY ? view.virtualGateways().get(id.name())
                : view.virtualNodes().get(id.name());
        // the records' text includes every nested member, secret names among them
        return spec != null && spec.toString().contains("=meshplane:");
    }

    /** The SPIFFE id of a virtual node or gateway: {@code spiffe://<mesh>/virtualNode/<name>}. */
    public static String spiffeId(ProxyId id) {
        return spiffeId(id.mesh(), id.kind() == ProxyId.Kind.GATEWAY ? "virtualGateway" : "virtualNode", id.name());
    }

    public static String spiffeId(String mesh, String kind, String name) {
        return "spiffe://" + mesh + "/" + kind + "/" + name;
    }
}
