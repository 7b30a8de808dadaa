package dev.meshplane.controlplane.xds;

import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterStats;
import io.envoyproxy.envoy.config.endpoint.v3.UpstreamLocalityStats;
import io.envoyproxy.envoy.service.load_stats.v3.LoadReportingServiceGrpc;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsRequest;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A load reporter shaped as Envoy's ({@code source/common/upstream/load_stats_reporter.cc}): one
 * {@code StreamLoadStats} stream, the node (with the client feature
 * {@code envoy.lrs.supports_send_all_clusters}) on every request, a first request without stats, then
 * per cluster its locality counts since the last report. Built on Envoy's protos; no Envoy runs here.
 */
final class EnvoyLoadReporter implements AutoCloseable {

    private final ManagedChannel channel;
    private final Node node;
    private final StreamObserver<LoadStatsRequest> requests;
    final BlockingQueue<LoadStatsResponse> responses = new LinkedBlockingQueue<>();
    volatile Status ended;

    EnvoyLoadReporter(int xdsPort, String nodeId, String bearerToken) {
        this(xdsPort, node(nodeId), bearerToken);
    }

    /** The same stream for any node, for instance one that says it is a gRPC client. */
    EnvoyLoadReporter(int xdsPort, Node node, String bearerToken) {
        channel = SignedRequests.channel(xdsPort, bearerToken == null ? java.util.Map.of()
                : java.util.Map.of("authorization", "Bearer " + bearerToken));
        this.node = node;
        requests = LoadReportingServiceGrpc.newStub(channel).streamLoadStats(new StreamObserver<>() {
            @Override
            public void onNext(LoadStatsResponse response) {
                responses.add(response);
            }

            @Override
            public void onError(Throwable t) {
                ended = Status.fromThrowable(t);
            }

            @Override
            public void onCompleted() {
                ended = Status.OK;
            }
        });
        requests.onNext(LoadStatsRequest.newBuilder().setNode(node).build());
    }

    static Node node(String id) {
        return Node.newBuilder().setId(id).setCluster(id).setUserAgentName("envoy")
                .addClientFeatures("envoy.lrs.supports_send_all_clusters").build();
    }

    /** The server's answer to the first request, or null if none came within the time. */
    LoadStatsResponse answer(long millis) throws InterruptedException {
        return responses.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Sends one report as this reporter's node. */
    void report(ClusterStats... clusters) {
        report(node, clusters);
    }

    /** Sends one report naming some node (the impostor's way). */
    void report(Node as, ClusterStats... clusters) {
        requests.onNext(LoadStatsRequest.newBuilder().setNode(as).addAllClusterStats(List.of(clusters)).build());
    }

    /** A cluster's stats with one locality: issued, successful, error and in-progress requests. */
    static ClusterStats cluster(String name, long issued, long successful, long errors, long inProgress) {
        return ClusterStats.newBuilder().setClusterName(name)
                .setLoadReportInterval(com.google.protobuf.Duration.newBuilder().setSeconds(1))
                .addUpstreamLocalityStats(UpstreamLocalityStats.newBuilder().setLocality(Locality.getDefaultInstance())
                        .setTotalIssuedRequests(issued).setTotalSuccessfulRequests(successful)
                        .setTotalErrorRequests(errors).setTotalRequestsInProgress(inProgress))
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            requests.onCompleted();
        } catch (RuntimeException ignored) {
            // the server may have closed the stream already
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
