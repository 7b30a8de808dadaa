package dev.meshplane.controlplane.xds;

import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The Aggregated Discovery Service (state-of-the-world and delta), the Load Reporting Service and Envoy's
 * metrics service on {@code meshplane.xds.port}.
 */
@Component
public class XdsServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(XdsServer.class);

    /** The lifecycle phase: the last to start and the first to stop (the web server stops later still). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

    /**
     * One writer for every stream: each stream's responses stay in order, and the publisher goes on
     * translating instead of encoding and writing every response itself (java-control-plane's
     * default). Measured better than both that default and a writer per stream group.
     */
    private volatile ExecutorService sender = newSender();

    private static ExecutorService newSender() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "meshplane-xds-send");
            thread.setDaemon(true);
            return thread;
        });
    }

    private final XdsProperties properties;
    private final V3DiscoveryServer discovery;
    private final StreamDrainer drainer = new StreamDrainer();
    private final ApplicationEventPublisher events;
    private Server server;

    private final ProxyAuthInterceptor proxyAuth;
    private java.util.concurrent.ScheduledExecutorService rechecks;

    private final dev.meshplane.controlplane.security.CertificateAuthority authority;
    /** With the built-in CA, the xDS port's certificate; replaced while the server runs (new handshakes take the new one). */
    private final io.grpc.util.AdvancedTlsX509KeyManager keyManager = new io.grpc.util.AdvancedTlsX509KeyManager();

    private final dev.meshplane.controlplane.traffic.LoadReportingService loadReports;
    private final dev.meshplane.controlplane.traffic.EnvoyMetricsService envoyMetrics;

    public XdsServer(XdsProperties properties, ProxyCache cache, ProxyStatusTracker tracker, ApplicationEventPublisher events,
            dev.meshplane.controlplane.auth.Authenticator authenticator, dev.meshplane.controlplane.auth.SecurityEvents securityEvents,
            dev.meshplane.controlplane.security.CertificateAuthority authority,
            dev.meshplane.controlplane.traffic.LoadReportingService loadReports,
            dev.meshplane.controlplane.traffic.EnvoyMetricsService envoyMetrics,
            dev.meshplane.controlplane.traffic.LoadReportCounters loadReportCounters) {
        this.authority = authority;
        this.properties = properties;
        this.events = events;
        this.loadReports = loadReports;
        this.envoyMetrics = envoyMetrics;
        this.proxyAuth = new ProxyAuthInterceptor(authenticator, securityEvents, () -> loadReportCounters.ignored(
                dev.meshplane.controlplane.traffic.LoadReportCounters.Reason.OTHER_NODE, 1));
        this.discovery = new V3DiscoveryServer(List.of(tracker), cache, () -> sender,
                new CachedProtoResourcesSerializer());
    }

    @Override
    public void start() {
        if (sender.isShutdown()) {
            // started again after a stop (a paused context): write again, and take traffic again
            sender = newSender();
            AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC);
        }
        try {
            NettyServerBuilder builder;
            if (properties.tls().builtIn()) {
                refreshServerCertificate();
                builder = NettyServerBuilder.forPort(properties.port(),
                        io.grpc.TlsServerCredentials.newBuilder().keyManager(keyManager).build());
            } else {
                builder = NettyServerBuilder.forPort(properties.port());
                if (properties.tls().enabled()) {
                    builder.useTransportSecurity(new java.io.File(properties.tls().certificateChainFile()),
                            new java.io.File(properties.tls().privateKeyFile()));
                }
            }
            server = builder
                    .addService(ServerInterceptors.intercept(discovery.getAggregatedDiscoveryServiceImpl(),
                            new ServerClosedStreams(), new NodeRememberingInterceptor(), drainer, proxyAuth))
                    // load reports: the same port, the same authentication and drain as ADS
                    .addService(ServerInterceptors.intercept(loadReports, new ServerClosedStreams(), drainer, proxyAuth))
                    .addService(ServerInterceptors.intercept(envoyMetrics, new ServerClosedStreams(), drainer, proxyAuth))
                    .keepAliveTime(30, TimeUnit.SECONDS)
                    .permitKeepAliveTime(5, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .maxConnectionAge(properties.maxConnectionAge().toMillis(), TimeUnit.MILLISECONDS)
                    .maxConnectionAgeGrace(properties.maxConnectionAgeGrace().toMillis(), TimeUnit.MILLISECONDS)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for xDS on port " + properties.port(), e);
        }
        log.info("xDS (ADS, LRS, metrics service) listening on port {}{}", server.getPort(), properties.tls().enabled() ? " with TLS" : "");
        // tokens revoked through another replica, or expired, cut their streams off within seconds
        rechecks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "meshplane-xds-token-check");
            thread.setDaemon(true);
            return thread;
        });
        rechecks.scheduleWithFixedDelay(this::recheckProxyTokens, 5, 5, TimeUnit.SECONDS);
        if (properties.tls().builtIn()) {
            rechecks.scheduleWithFixedDelay(this::refreshServerCertificate, 60, 60, TimeUnit.SECONDS);
        }
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Stops gracefully: readiness goes false (so load balancers stop sending new proxies here), the
     * server stops listening and sends GOAWAY, and the open streams are closed one by one over the
     * drain window so their proxies reconnect to other replicas gradually. With streams open, stopping
     * takes the whole window; with none, it is immediate.
     */
    @Override
    public void stop() {
        if (server != null) {
            AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
            server.shutdown();
            try {
                int open = drainer.open();
                if (open > 0) {
                    log.info("Draining {} xDS streams over {} (meshplane.xds.drain-window); readiness stays false until then", open,
                            properties.drainWindow());
                    drainer.drain(properties.drainWindow());
                }
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.shutdownNow();
        }
        sender.shutdownNow();
        if (rechecks != null) {
            rechecks.shutdownNow();
        }
    }

    /** With the built-in CA: takes a new server certificate when the current one is at half its life. */
    private void refreshServerCertificate() {
        try {
            var identity = authority.serverIdentity(properties.advertisedHost());
            keyManager.updateIdentityCredentials(new java.security.cert.X509Certificate[] {identity.certificate()}, identity.key());
        } catch (RuntimeException e) {
            log.error("Cannot renew the xDS port's certificate: {}", e.toString());
        }
    }

    /** The trust bundle of the built-in CA that signs the xDS port's certificate, in PEM. */
    public String builtInCaPem() {
        return authority.serverTrustBundlePem();
    }

    /** Closes the streams whose proxy token was revoked or expired; returns how many. */
    public int recheckProxyTokens() {
        try {
            return proxyAuth.recheck();
        } catch (RuntimeException e) {
            log.debug("Proxy token check failed: {}", e.toString());
            return 0;
        }
    }

    /** xDS streams open now. */
    public int openStreams() {
        return drainer.open();
    }

    @Override
    public boolean isRunning() {
        return server != null && !server.isShutdown();
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return server.getPort();
    }
}
