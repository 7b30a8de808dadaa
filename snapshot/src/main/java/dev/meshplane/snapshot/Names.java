package dev.meshplane.snapshot;

/**
 * Envoy resource names as App Mesh gives them, so that dashboards keyed on stat names keep working.
 */
public final class Names {

    /** The port of a sidecar's inbound listener (App Mesh's {@code ProxyIngressPort}). */
    public static final int INGRESS_PORT = dev.meshplane.api.validation.SpecRules.PROXY_INGRESS_PORT;
    /** The port of a sidecar's outbound listener (App Mesh's {@code ProxyEgressPort}). */
    public static final int EGRESS_PORT = dev.meshplane.api.validation.SpecRules.PROXY_EGRESS_PORT;
    static final String INGRESS_LISTENER = "lds_ingress_0.0.0.0_" + INGRESS_PORT;
    static final String EGRESS_LISTENER = "lds_egress_0.0.0.0_" + EGRESS_PORT;
    static final String PASSTHROUGH_CLUSTER = "cds_egress_passthrough";

    private Names() {
    }

    static String egressCluster(String mesh, String node, String protocol, int port) {
        return "cds_egress_" + mesh + "_" + node + "_" + protocol + "_" + port;
    }

    /** What a caller's cluster leads to: a listener of a virtual node of the mesh. */
    public record EgressTarget(String node, String protocol, int port) {
    }

    private static final java.util.regex.Pattern EGRESS_TAIL =
            java.util.regex.Pattern.compile("(.+)_(http|http2|grpc|tcp)_(\\d{1,5})(?:_plaintext|_tls_[0-9a-f]{8})?");

    /**
     * The target of a cluster named by {@link #egressCluster} (or its TLS variant, {@link TlsVariants}),
     * read back from the name; empty for every other name (ingress, passthrough, a bootstrap's own
     * clusters, another mesh's). Whether the node and port exist is the caller's to check.
     */
    public static java.util.Optional<EgressTarget> egressTarget(String mesh, String clusterName) {
        String prefix = "cds_egress_" + mesh + "_";
        if (clusterName == null || !clusterName.startsWith(prefix)) {
            return java.util.Optional.empty();
        }
        java.util.regex.Matcher m = EGRESS_TAIL.matcher(clusterName.substring(prefix.length()));
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        int port = Integer.parseInt(m.group(3));
        return port < 1 || port > 65535 ? java.util.Optional.empty()
                : java.util.Optional.of(new EgressTarget(m.group(1), m.group(2), port));
    }

    /** Whether a cluster stays within the proxy's own host: its app behind an ingress listener, or the passthrough. */
    public static boolean isProxyLocal(String clusterName) {
        return clusterName.startsWith("cds_ingress_") || clusterName.equals(PASSTHROUGH_CLUSTER);
    }

    static String ingressCluster(String mesh, String node, String protocol, int port) {
        return "cds_ingress_" + mesh + "_" + node + "_" + protocol + "_" + port;
    }

    /** The route configuration of a sidecar's outbound traffic to one port and protocol. */
    public static String egressRoutes(String protocol, int port) {
        return "rds_egress_" + protocol + "_" + port;
    }

    static String ingressRoutes(String protocol, int port) {
        return "rds_ingress_" + protocol + "_" + port;
    }

    static String gatewayListener(int port) {
        return "lds_ingress_0.0.0.0_" + port;
    }
}
