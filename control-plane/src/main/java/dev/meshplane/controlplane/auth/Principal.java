package dev.meshplane.controlplane.auth;

import dev.meshplane.snapshot.ProxyId;
import java.util.Locale;
import java.util.Set;

/**
 * Who is calling: a credential's id and name, its role, the meshes it may act on ({@code *}: all)
 * and, for the proxy role, the proxies it stands for. Roles: viewer reads, editor also writes a
 * mesh's resources, admin also manages its security settings, and admin on {@code *} manages
 * credentials, creates meshes and reads the audit log. The proxy role is apart from that ladder: it
 * is what a proxy token or a proxy access key carries, and it may do nothing but be its nodes'
 * proxy (their configuration and secrets over xDS, their certificate over REST).
 *
 * @param nodes for {@link Role#PROXY}, the node ids it is bound to ({@code mesh/<mesh>/virtualNode/<name>} or
 *              {@code .../virtualGateway/<name>}); empty for every other role
 */
public record Principal(String id, String name, Role role, Set<String> meshes, Set<String> nodes) {

    public enum Role {
        VIEWER, EDITOR, ADMIN,
        /** A proxy's credential: stands for its nodes only, and is below and beside every other role. */
        PROXY;

        static Role parse(String text) {
            return Role.valueOf(text.toUpperCase(Locale.ROOT));
        }

        boolean atLeast(Role other) {
            if (this == PROXY || other == PROXY) {
                return this == other; // not on the viewer < editor < admin ladder
            }
            return ordinal() >= other.ordinal();
        }
    }

    /** What a caller may receive over xDS as one proxy: decided by {@link #xds(ProxyId)} for every stream and every SDS request. */
    public enum XdsGrant {
        /** Nothing: the stream is refused. */
        NONE,
        /** The proxy's configuration, but never a secret (a request for secrets closes the stream). */
        CONFIGURATION,
        /** Configuration and the proxy's secrets ({@code meshplane:identity}, its private key). */
        CONFIGURATION_AND_SECRETS
    }

    /** A principal of a role on the ladder (viewer, editor, admin): bound to no node. */
    public Principal(String id, String name, Role role, Set<String> meshes) {
        this(id, name, role, meshes, Set.of());
    }

    /** Development mode: authentication is off and every call acts as this. */
    static final Principal DEVELOPMENT = new Principal("development", "development mode (authentication off)",
            Role.ADMIN, Set.of("*"));

    /** May act on this mesh with at least this role ({@code mesh} null: on any mesh at all). */
    public boolean may(Role needed, String mesh) {
        if (!role.atLeast(needed)) {
            return false;
        }
        return mesh == null ? !meshes.isEmpty() : meshes.contains("*") || meshes.contains(mesh);
    }

    /**
     * What this caller may receive over xDS as {@code proxy}, the one rule for xDS and SDS on every
     * credential kind: a proxy credential gets its own nodes' configuration and secrets; an admin of
     * the proxy's mesh its configuration only (to inspect what a node is sent; an admin could issue
     * itself a proxy token anyway); viewers and editors nothing, because a stream acts as the proxy
     * (its ACKs and NACKs are recorded as the proxy's, and a NACK holds a version back from every
     * replica of the node), which is more than reading.
     */
    public XdsGrant xds(ProxyId proxy) {
        if (role == Role.PROXY) {
            return nodes.contains(nodeId(proxy)) ? XdsGrant.CONFIGURATION_AND_SECRETS : XdsGrant.NONE;
        }
        return may(Role.ADMIN, proxy.mesh()) ? XdsGrant.CONFIGURATION : XdsGrant.NONE;
    }

    /** Whether this caller may receive the secrets (certificate and private key) of the proxy with this node id. */
    public boolean mayReceiveSecretsOf(String nodeId) {
        return role == Role.PROXY && nodes.contains(nodeId);
    }

    /** A proxy's node id in the form credentials are bound to: {@code mesh/<mesh>/virtualNode/<name>} or {@code .../virtualGateway/<name>}. */
    public static String nodeId(ProxyId proxy) {
        return "mesh/" + proxy.mesh() + "/" + (proxy.kind() == ProxyId.Kind.GATEWAY ? "virtualGateway" : "virtualNode") + "/"
                + proxy.name();
    }

    /** Whether this is development mode's principal (authentication off: it acts as admin on everything, private keys included). */
    public boolean development() {
        return this == DEVELOPMENT;
    }

    /** The actor written into the audit log. */
    public String actor() {
        return name + " (" + id + ")";
    }
}
