package dev.meshplane.controlplane.xds;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Tells the xDS handler (java-control-plane) when a stream was closed by someone else: an
 * interceptor refusing it (a node switch, a first request without a node) or cutting it off (a
 * revoked or expired credential), or the drain of a stopping replica. gRPC reports such a call to
 * the handler as completed, and java-control-plane then never learns the stream ended: its watches
 * stay open, and the proxy stays listed in {@code /v1/proxies} and counted in
 * {@code meshplane_xds_proxies}, one phantom per refusal. Here that completion becomes a
 * cancellation, which the handler treats as the end of the stream (close callback, watches
 * cancelled). Installed innermost, next to the handler, so every close the handler makes itself
 * passes through it and keeps its normal completion.
 */
final class ServerClosedStreams implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        HandlerCall<Q, R> watched = new HandlerCall<>(call);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(watched, headers)) {
            @Override
            public void onComplete() {
                if (watched.closedByHandler) {
                    super.onComplete();
                } else {
                    super.onCancel();
                }
            }
        };
    }

    /** The call as the handler sees it: remembers whether the handler closed it. */
    private static final class HandlerCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        volatile boolean closedByHandler;

        HandlerCall(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            closedByHandler = true;
            super.close(status, trailers);
        }
    }
}
