package dev.meshplane.snapshot;

/**
 * Envoy resource names as App Mesh gives them, so that dashboards keyed on stat names keep working.
 */
public final class Names {

    /** The port of a sidecar's inbound listener (App Mesh's {@code ProxyIngressPort}). */
    public static final int INGRESS_PORT = 15000;
    /** The port of a sidecar's outbound listener (App Mesh's {@code ProxyEgressPort}). */
    public static final int EGRESS_PORT = 15001;
    static final String INGRESS_LISTENER = "lds_ingress_0.0.0.0_" + INGRESS_PORT;
    static final String EGRESS_LISTENER = "lds_egress_0.0.0.0_" + EGRESS_PORT;
    static final String PASSTHROUGH_CLUSTER = "cds_egress_passthrough";

    private Names() {
    }

    static String egressCluster(String mesh, String node, String protocol, int port) {
        return "cds_egress_" + mesh + "_" + node + "_" + protocol + "_" + port;
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
