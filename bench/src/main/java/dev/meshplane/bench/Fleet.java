package dev.meshplane.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** N simulated proxies over real gRPC, a connection per {@value #STREAMS_PER_CONNECTION} streams. */
final class Fleet implements AutoCloseable {

    static final int STREAMS_PER_CONNECTION = 50;

    final List<SimulatedProxy> proxies = new ArrayList<>();
    /** One per proxy while load reporting is on, in the order of {@link #proxies}. */
    final List<SimulatedLoadReporter> reporters = new ArrayList<>();
    private ScheduledExecutorService reportTimer;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final String host;
    private int port;

    Fleet(String host, int port, List<String> nodeIds, int size) {
        this(host, port, nodeIds, size, false);
    }

    /** With {@code secrets}, each proxy also asks for its certificate and the trust bundle (mTLS on). */
    Fleet(String host, int port, List<String> nodeIds, int size, boolean secrets) {
        this.host = host;
        this.port = port;
        for (int i = 0; i < size; i++) {
            proxies.add(new SimulatedProxy(nodeIds.get(i % nodeIds.size()), i / nodeIds.size(), secrets));
        }
    }

    void connect(Progress progress) {
        for (int i = 0; i < proxies.size(); i++) {
            if (i % STREAMS_PER_CONNECTION == 0) {
                channels.add(NettyChannelBuilder.forAddress(host, port).usePlaintext()
                        .maxInboundMessageSize(64 * 1024 * 1024).build());
            }
            proxies.get(i).connect(channels.get(channels.size() - 1));
            progress.step(i + 1);
        }
    }

    /**
     * Opens a load reporting stream beside every proxy's ADS stream, on its connection; each reports at the
     * interval the server answers with, on one timer thread for the fleet.
     */
    void startLoadReports(Progress progress) {
        reportTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "simulated-load-reports");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < proxies.size(); i++) {
            SimulatedLoadReporter reporter = new SimulatedLoadReporter(proxies.get(i), reportTimer);
            reporters.add(reporter);
            reporter.start(proxies.get(i).channel());
            progress.step(i + 1);
        }
    }

    /** Reports sent so far by the whole fleet (requests carrying cluster stats). */
    long reportsSent() {
        return reporters.stream().mapToLong(r -> r.reports.get()).sum();
    }

    /** Ends every load reporting stream. */
    void stopLoadReports() {
        reporters.forEach(SimulatedLoadReporter::stop);
        reporters.clear();
        if (reportTimer != null) {
            reportTimer.shutdownNow();
            reportTimer = null;
        }
    }

    /** Reconnects every proxy to a (restarted) server, keeping the versions each has. */
    void reconnect(int newPort, Progress progress) {
        closeChannels();
        port = newPort;
        connect(progress);
    }

    long count(Predicate<SimulatedProxy> condition) {
        return proxies.stream().filter(condition).count();
    }

    /** Waits until every proxy satisfies the condition, or the timeout passes; returns whether they all did. */
    boolean await(Predicate<SimulatedProxy> condition, long timeoutMillis, Progress progress) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            long done = count(condition);
            progress.step((int) done);
            if (done == proxies.size()) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    private void closeChannels() {
        stopLoadReports();
        proxies.forEach(SimulatedProxy::close);
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channels.clear();
    }

    @Override
    public void close() {
        closeChannels();
    }
}
