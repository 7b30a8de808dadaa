package dev.meshplane.snapshot;

import dev.meshplane.api.model.ListenerTlsSdsCertificate;
import dev.meshplane.api.model.TlsValidationContextSdsTrust;
import dev.meshplane.api.model.VirtualGatewayListenerTlsSdsCertificate;
import dev.meshplane.api.model.VirtualGatewayTlsValidationContextSdsTrust;
import dev.meshplane.api.security.MtlsMode;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

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
        return namesBuiltInSecret(spec);
    }

    /**
     * Whether a spec names a built-in secret in one of its SDS members, wherever they are nested
     * (listener TLS, backend defaults, each backend's client policy, gateway listeners): a walk of
     * its records, lists and maps.
     */
    static boolean namesBuiltInSecret(Object value) {
        if (value instanceof ListenerTlsSdsCertificate sds) {
            return builtIn(sds.secretName());
        }
        if (value instanceof TlsValidationContextSdsTrust sds) {
            return builtIn(sds.secretName());
        }
        if (value instanceof VirtualGatewayListenerTlsSdsCertificate sds) {
            return builtIn(sds.secretName());
        }
        if (value instanceof VirtualGatewayTlsValidationContextSdsTrust sds) {
            return builtIn(sds.secretName());
        }
        if (value instanceof Collection<?> items) {
            return items.stream().anyMatch(BuiltInSecrets::namesBuiltInSecret);
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(BuiltInSecrets::namesBuiltInSecret);
        }
        if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    if (namesBuiltInSecret(component.getAccessor().invoke(record))) {
                        return true;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component, e);
                }
            }
        }
        return false;
    }

    private static boolean builtIn(String secretName) {
        return IDENTITY.equals(secretName) || TRUST.equals(secretName);
    }

    /** The SPIFFE id of a virtual node or gateway: {@code spiffe://<mesh>/virtualNode/<name>}. */
    public static String spiffeId(ProxyId id) {
        return spiffeId(id.mesh(), id.kind() == ProxyId.Kind.GATEWAY ? "virtualGateway" : "virtualNode", id.name());
    }

    public static String spiffeId(String mesh, String kind, String name) {
        return "spiffe://" + mesh + "/" + kind + "/" + name;
    }
}
