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
 * let the mesh-wide mTLS switch use them. Any other secret name is fetched from the proxy's local SDS
 * server ({@link #LOCAL_SDS_CLUSTER}), as App Mesh did.
 */
public final class BuiltInSecrets {

    /** The proxy's own certificate and private key, for its SPIFFE id, issued by the mesh's CA. */
    public static final String IDENTITY = "meshplane:identity";

    /** The mesh's trust bundle: its CA certificates (old and new while a rotation overlaps). */
    public static final String TRUST = "meshplane:trust";

    /**
     * The static cluster to the proxy's local SDS server, which serves every other secret name: named as App Mesh's
     * Envoy image names it when {@code APPMESH_SDS_SOCKET_PATH} is set (amazon-ecs-service-connect-agent,
     * envoy_bootstrap.go, appendSdsSocketCluster); Meshplane's Envoy bootstraps add it for {@code sdsSocketPath}.
     */
    public static final String LOCAL_SDS_CLUSTER = "static_cluster_sds_unix_socket";

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
     * (listener TLS, backend defaults, each backend's client policy, gateway listeners).
     */
    static boolean namesBuiltInSecret(Object value) {
        return secretNames(value).stream().anyMatch(BuiltInSecrets::builtIn);
    }

    /** Every SDS secret name a spec names, in a walk of its records, lists and maps. */
    static java.util.SortedSet<String> secretNames(Object value) {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        collect(value, names);
        return names;
    }

    private static void collect(Object value, java.util.Set<String> names) {
        if (value instanceof ListenerTlsSdsCertificate sds) {
            names.add(sds.secretName());
        } else if (value instanceof TlsValidationContextSdsTrust sds) {
            names.add(sds.secretName());
        } else if (value instanceof VirtualGatewayListenerTlsSdsCertificate sds) {
            names.add(sds.secretName());
        } else if (value instanceof VirtualGatewayTlsValidationContextSdsTrust sds) {
            names.add(sds.secretName());
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> collect(item, names));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(item -> collect(item, names));
        } else if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    collect(component.getAccessor().invoke(record), names);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component, e);
                }
            }
        }
    }

    /** Whether Meshplane serves this secret name itself (over ADS), rather than the proxy's local SDS server. */
    static boolean builtIn(String secretName) {
        return IDENTITY.equals(secretName) || TRUST.equals(secretName);
    }

    /** The SPIFFE id of a virtual node or gateway: {@code spiffe://<mesh>/virtualNode/<name>}. */
    public static String spiffeId(ProxyId id) {
        return spiffeId(id.mesh(), id.kind() == ProxyId.Kind.GATEWAY ? "virtualGateway" : "virtualNode", id.name());
    }

    /**
     * {@code spiffe://<mesh>/<kind>/<name>}, the mesh and name percent-encoded (RFC 3986, as UTF-8) where they hold
     * characters a URI cannot carry as they are (App Mesh's ResourceName allows any): the id goes into a
     * certificate's URI SAN, an IA5String (ASCII only; BouncyCastle writes 'ü' as the single byte 0xFC), and Envoy's
     * and gRPC's SAN and RBAC principal matchers compare it with the string Meshplane sends them, byte for byte.
     */
    public static String spiffeId(String mesh, String kind, String name) {
        return meshSpiffePrefix(mesh) + kind + "/" + com.google.common.net.UrlEscapers.urlPathSegmentEscaper().escape(name);
    }

    /** What every SPIFFE id of the mesh starts with, {@code spiffe://<mesh>/}, encoded as {@link #spiffeId} encodes it. */
    public static String meshSpiffePrefix(String mesh) {
        return "spiffe://" + com.google.common.net.UrlEscapers.urlPathSegmentEscaper().escape(mesh) + "/";
    }
}
