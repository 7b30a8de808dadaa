package dev.meshplane.controlplane.xds;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows every open xDS stream, so that a replica that is stopping can close them gradually: spread
 * over a window, proxies reconnect to the other replicas a few at a time instead of all at once.
 * Each stream is closed with UNAVAILABLE, which Envoy and gRPC's xDS clients answer by opening a new
 * stream (on a new connection, since the server has already sent GOAWAY and stopped listening).
 */
public final class StreamDrainer implements ServerInterceptor {

    private final Set<DrainableCall<?, ?>> calls = ConcurrentHashMap.newKeySet();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        DrainableCall<Q, R> drainable = new DrainableCall<>(call);
        calls.add(drainable);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(drainable, headers)) {
            @Override
            public void onComplete() {
                calls.remove(drainable);
                super.onComplete();
            }

            @Override
            public void onCancel() {
                calls.remove(drainable);
                super.onCancel();
            }
        };
    }

    /** Streams open now. */
    public int open() {
        return calls.size();
    }

    /**
     * Closes every open stream, evenly spread over the window, and returns only when the window is
     * over; returns how many it closed. The first stream closes at once and the i-th of n at i/n of
     * the window; the rest of the window keeps the replica up with readiness false, so load balancers
     * see it leave before its ports close. With no stream open it returns at once.
     */
    public int drain(Duration window) throws InterruptedException {
        List<DrainableCall<?, ?>> open = new ArrayList<>(calls);
        if (open.isEmpty()) {
            return 0;
        }
        long start = System.nanoTime();
        int closed = 0;
        for (int i = 0; i < open.size(); i++) {
            sleepUntil(start + window.toNanos() / open.size() * i);
            DrainableCall<?, ?> call = open.get(i);
            if (call.closeForDrain()) {
                closed++;
            }
            calls.remove(call);
        }
        sleepUntil(start + window.toNanos());
        return closed;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** A call whose sends and close are serialised, so that draining cannot race the response writer. */
    private static final class DrainableCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {

        private boolean closed;

        DrainableCall(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            if (!closed) {
                super.sendHeaders(headers);
            }
        }

        @Override
        public synchronized void sendMessage(R message) {
            if (!closed) {
                super.sendMessage(message);
            }
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!closed) {
                closed = true;
                super.close(status, trailers);
            }
        }

        synchronized boolean closeForDrain() {
            if (closed) {
                return false;
            }
            closed = true;
            super.close(Status.UNAVAILABLE.withDescription("this Meshplane replica is shutting down; reconnect"), new Metadata());
            return true;
        }
    }
}
