package dev.meshplane.controlplane.xds;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The xDS side of the server.
 *
 * @param port           gRPC port of the Aggregated Discovery Service (0 picks a free one)
 * @param debounce       how long changes are gathered before proxies are rebuilt
 * @param resyncInterval how often every connected proxy is rebuilt anyway, for notifications that were missed
 * @param advertisedHost the host name proxies use to reach this server's xDS port, written into bootstraps;
 *                       when unset, the host the bootstrap request was addressed to
 * @param warmUp         whether to exercise the translator in the background after start-up
 * @param maxConnectionAge      how old an xDS connection may get before the server sends GOAWAY and the
 *                              proxy reconnects (to any replica): spreads proxies over replicas in time
 * @param maxConnectionAgeGrace how long the streams of such a connection may go on after the GOAWAY
 * @param drainWindow    on shutdown, the window over which open streams are closed one by one
 * @param tls            TLS for the xDS port: PEM files for its certificate chain and key, and the CA file
 *                       proxies trust it with (written into bootstraps); plaintext when no chain is given
 */
@ConfigurationProperties("meshplane.xds")
public record XdsProperties(
        @DefaultValue("18000") int port,
        @DefaultValue("10ms") Duration debounce,
        @DefaultValue("30s") Duration resyncInterval,
        String advertisedHost,
        @DefaultValue("true") boolean warmUp,
        @DefaultValue("30m") Duration maxConnectionAge,
        @DefaultValue("30s") Duration maxConnectionAgeGrace,
        @DefaultValue("10s") Duration drainWindow,
        @DefaultValue Tls tls) {

    /**
     * @param certificateChainFile PEM certificate chain the xDS port presents
     * @param privateKeyFile       its PEM private key
     * @param proxyCaFile          where proxies find the CA to trust it with (a path on the proxy), for bootstraps
     * @param builtIn              instead of files, a certificate from Meshplane's own CA (the "_meshplane" CA),
     *                             renewed by itself; Envoy bootstraps then carry that CA inline
     */
    public record Tls(String certificateChainFile, String privateKeyFile,
            @DefaultValue("/etc/meshplane/xds-ca.pem") String proxyCaFile,
            @DefaultValue("false") boolean builtIn) {

        /** TLS from configured files, or (builtIn) from Meshplane's own CA. */
        public boolean enabled() {
            return builtIn || (certificateChainFile != null && !certificateChainFile.isBlank());
        }
    }
}
