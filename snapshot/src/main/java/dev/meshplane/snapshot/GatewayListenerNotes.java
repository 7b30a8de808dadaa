package dev.meshplane.snapshot;

import dev.meshplane.api.model.VirtualGatewayListener;
import java.util.ArrayList;
import java.util.List;

/**
 * What a virtual gateway listener's {@code connectionPool} and {@code healthCheck} become: nothing in the Envoy
 * configuration, said in {@code /v1/proxies} translationNotes, since neither has an Envoy form in Meshplane's gateway
 * that means what it meant in App Mesh (issue 12, item 7: no setting may be dropped silently).
 *
 * <p>The connection pool: App Mesh's gateway Envoy sent each listener's traffic through a cluster of its own,
 * {@code cds_ingress_<mesh>_<gateway>_self_redirect_<protocol>_15001}, back into its egress listener, and set the pool
 * as that one cluster's circuit breakers (aws-app-mesh-examples, {@code walkthroughs/howto-k8s-connection-pools/README.md},
 * the gateway's {@code circuit_breakers.default.cx_open} stats): one limit over all the listener's upstream traffic.
 * Meshplane's gateway routes straight to its targets' clusters, which listeners share, so circuit breakers there would be
 * a limit per target, not that one. The health check: App Mesh documents no Envoy form for it (the API model's
 * {@code VirtualGatewayHealthCheckPolicy} describes its fields, not its effect), so Meshplane invents none.
 */
final class GatewayListenerNotes {

    private GatewayListenerNotes() {
    }

    /** The notes for one listener of gateway {@code gateway}: none when it has neither setting. */
    static List<String> of(String gateway, VirtualGatewayListener listener) {
        List<String> notes = new ArrayList<>();
        String where = "virtual gateway '" + gateway + "', listener on port " + listener.portMapping().port() + ": ";
        if (listener.connectionPool() != null) {
            notes.add(where + "connectionPool is not applied: App Mesh set it as circuit breakers on a cluster carrying all"
                    + " of the listener's traffic back into its own Envoy, which Meshplane's gateway does not have;"
                    + " requests to the gateway's targets are not limited by it; to limit them, set connectionPool on the"
                    + " listeners of the virtual nodes the gateway routes to");
        }
        if (listener.healthCheck() != null) {
            notes.add(where + "healthCheck is not applied: App Mesh documents no Envoy form for a gateway listener's health"
                    + " check; nothing probes the gateway or its targets because of it (a virtual node listener's healthCheck"
                    + " still sets the active health checks of the clusters towards that node); to have the gateway check its"
                    + " targets, set healthCheck on the listeners of the virtual nodes it routes to");
        }
        return notes;
    }
}
