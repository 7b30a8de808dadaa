package dev.meshplane.bench;

import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterStats;
import io.envoyproxy.envoy.config.endpoint.v3.UpstreamLocalityStats;
import io.envoyproxy.envoy.service.load_stats.v3.LoadReportingServiceGrpc;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsRequest;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsResponse;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated Envoy's load reporting stream, shaped as Envoy's {@code source/common/upstream/load_stats_reporter.cc}
 * sends it: a {@code StreamLoadStats} stream on the proxy's xDS connection, the proxy's node (with the client
 * feature {@code envoy.lrs.supports_send_all_clusters}) on every request, a first request without stats, and,
 * once the server has answered, every {@code load_reporting_interval} the answer names, one request with each of
 * the proxy's egress clusters ({@code cds_egress_*}, from its last CDS response) and its counts since the previous
 * request.
 *
 * <p>The counts are plausible, not measured: each cluster a steady rate of 1 to 20 requests per second (from its
 * name), one in a hundred an error, a tenth of a second's requests in progress. They are what Meshplane's load
 * report rules believe (finished requests never exceed those issued since plus those in progress before), so the
 * server does the whole work of a believed report: judge, sum and write.
 */
final class SimulatedLoadReporter {

    private final SimulatedProxy proxy;
    private final ScheduledExecutorService timer;
    private final Node node;
    /** Requests sent with cluster stats; the server's answers (one per stream). */
    final AtomicLong reports = new AtomicLong();
    final AtomicLong answers = new AtomicLong();
    /** The reporting interval the server's last answer named, in milliseconds (0 before it answers). */
    volatile long intervalMillis;
    private StreamObserver<LoadStatsRequest> requests;
    private ScheduledFuture<?> reporting;
    private long lastReportNanos;
    private volatile boolean closed;

    /** Reports for this proxy, on the timer's thread (one for the whole fleet, as each Envoy has its own). */
    SimulatedLoadReporter(SimulatedProxy proxy, ScheduledExecutorService timer) {
        this.proxy = proxy;
        this.timer = timer;
        this.node = proxy.node().toBuilder().addClientFeatures("envoy.lrs.supports_send_all_clusters").build();
    }

    /** Opens the stream on the proxy's connection and sends the first request (the node, no stats). */
    synchronized void start(Channel channel) {
        requests = LoadReportingServiceGrpc.newStub(channel).streamLoadStats(new StreamObserver<>() {
            @Override
            public void onNext(LoadStatsResponse response) {
                answered(response);
            }

            @Override
            public void onError(Throwable t) {
                stop();
            }

            @Override
            public void onCompleted() {
                stop();
            }
        });
        requests.onNext(LoadStatsRequest.newBuilder().setNode(node).build());
    }

    /** As Envoy: each answer (re)starts the period, with the interval it names. */
    private synchronized void answered(LoadStatsResponse response) {
        if (closed) {
            return;
        }
        if (reporting != null) {
            reporting.cancel(false);
        }
        long interval = Math.max(Durations.toMillis(response.getLoadReportingInterval()), 1);
        intervalMillis = interval;
        lastReportNanos = System.nanoTime();
        reporting = timer.scheduleAtFixedRate(this::report, interval, interval, TimeUnit.MILLISECONDS);
        answers.incrementAndGet();
    }

    private synchronized void report() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        long elapsedMillis = Math.max((now - lastReportNanos) / 1_000_000, 1);
        lastReportNanos = now;
        LoadStatsRequest.Builder request = LoadStatsRequest.newBuilder().setNode(node);
        for (String cluster : proxy.egressClusters) {
            long perSecond = 1 + Math.floorMod(cluster.hashCode(), 20);
            long issued = perSecond * elapsedMillis / 1000;
            long errors = issued / 100;
            request.addClusterStats(ClusterStats.newBuilder().setClusterName(cluster)
                    .setLoadReportInterval(Durations.fromMillis(elapsedMillis))
                    .addUpstreamLocalityStats(UpstreamLocalityStats.newBuilder().setLocality(Locality.getDefaultInstance())
                            .setTotalIssuedRequests(issued).setTotalSuccessfulRequests(issued - errors)
                            .setTotalErrorRequests(errors).setTotalRequestsInProgress(perSecond / 10)));
        }
        requests.onNext(request.build());
        reports.incrementAndGet();
    }

    /** Stops reporting and ends the stream (a no-op once it has ended). */
    synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        if (reporting != null) {
            reporting.cancel(false);
        }
        try {
            requests.onCompleted();
        } catch (RuntimeException alreadyEnded) {
            // the server or the connection ended the stream first
        }
    }
}
