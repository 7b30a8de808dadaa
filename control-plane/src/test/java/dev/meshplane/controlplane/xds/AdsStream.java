package dev.meshplane.controlplane.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare ADS stream over real gRPC, for tests that need to control each request: what a proxy
 * sends (node or not, names, versions, nonces) and what it receives.
 */
final class AdsStream implements AutoCloseable {

    static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    static final String SDS = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

    private final ManagedChannel channel;
    private final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    private final BlockingQueue<DeltaDiscoveryResponse> deltaResponses = new LinkedBlockingQueue<>();
    private StreamObserver<DiscoveryRequest> requests;
    private StreamObserver<DeltaDiscoveryRequest> deltaRequests;

    /** How the stream ended, if it has: null while open. */
    volatile io.grpc.Status ended;

    AdsStream(int port) {
        this(port, null);
    }

    /** A stream on a channel of the caller's (TLS, for instance). */
    AdsStream(ManagedChannel channel) {
        this.channel = channel;
    }

    /** A stream that sends a proxy token as gRPC metadata ({@code authorization: Bearer <token>}). */
    AdsStream(int port, String token) {
        channel = SignedRequests.channel(port, token == null ? java.util.Map.of()
                : java.util.Map.of("authorization", "Bearer " + token));
    }

    static Node node(String id) {
        return Node.newBuilder().setId(id).setUserAgentName("envoy").build();
    }

    void send(DiscoveryRequest request) {
        if (requests == null) {
            requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(observer(responses));
        }
        requests.onNext(request);
    }

    void sendDelta(DeltaDiscoveryRequest request) {
        if (deltaRequests == null) {
            deltaRequests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(observer(deltaResponses));
        }
        deltaRequests.onNext(request);
    }

    /** How the stream ended, waiting up to {@code millis} for it to end; null if it is still open. */
    io.grpc.Status awaitEnd(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (ended == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return ended;
    }

    /** The next response, or null if none arrives in time. */
    DiscoveryResponse next(long millis) throws InterruptedException {
        return responses.poll(millis, TimeUnit.MILLISECONDS);
    }

    DeltaDiscoveryResponse nextDelta(long millis) throws InterruptedException {
        return deltaResponses.poll(millis, TimeUnit.MILLISECONDS);
    }

    private <T> StreamObserver<T> observer(BlockingQueue<T> queue) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                queue.add(value);
            }

            @Override
            public void onError(Throwable t) {
                ended = io.grpc.Status.fromThrowable(t);
            }

            @Override
            public void onCompleted() {
                ended = io.grpc.Status.OK;
            }
        };
    }

    /** An ACK of a response: same type, its version and nonce, the given names. */
    static DiscoveryRequest ack(DiscoveryResponse response, String... names) {
        return DiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl()).setVersionInfo(response.getVersionInfo())
                .setResponseNonce(response.getNonce()).addAllResourceNames(java.util.List.of(names)).build();
    }

    @Override
    public void close() throws InterruptedException {
        if (requests != null) {
            requests.onCompleted();
        }
        if (deltaRequests != null) {
            deltaRequests.onCompleted();
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
