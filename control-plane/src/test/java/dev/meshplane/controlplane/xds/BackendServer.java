package dev.meshplane.controlplane.xds;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain gRPC backend (no xDS) answering with its own name. Request metadata steers it:
 * {@code x-fail-first} fails a call's first attempt with UNAVAILABLE; {@code x-sleep-ms} delays the answer.
 * {@link #failEvery} makes a known share of calls fail.
 */
final class BackendServer implements AutoCloseable {

    static final Metadata.Key<String> FAIL_FIRST = Metadata.Key.of("x-fail-first", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> SLEEP_MS = Metadata.Key.of("x-sleep-ms", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> PREVIOUS_ATTEMPTS =
            Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);

    final String name;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger failedAttempts = new AtomicInteger();
    /** When above 0, every such call fails with INTERNAL (a status no route of the tests retries). */
    volatile int failEvery;
    final AtomicInteger failedCalls = new AtomicInteger();
    private final Server server;

    BackendServer(String name) throws IOException {
        this(name, InsecureServerCredentials.create());
    }

    /** The same, serving with the given credentials (TLS with a mesh certificate, for mTLS from the mesh's CA). */
    BackendServer(String name, ServerCredentials credentials) throws IOException {
        this.name = name;
        SimpleServiceGrpc.SimpleServiceImplBase service = new SimpleServiceGrpc.SimpleServiceImplBase() {
            @Override
            public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
                int call = calls.incrementAndGet();
                int every = failEvery;
                if (every > 0 && call % every == 0) {
                    failedCalls.incrementAndGet();
                    responseObserver.onError(Status.INTERNAL.withDescription(name + " fails every " + every + "th call")
                            .asRuntimeException());
                    return;
                }
                responseObserver.onNext(SimpleResponse.newBuilder().setResponseMessage(name).build());
                responseObserver.onCompleted();
            }
        };
        ServerInterceptor steering = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                if (headers.containsKey(FAIL_FIRST) && !headers.containsKey(PREVIOUS_ATTEMPTS)) {
                    failedAttempts.incrementAndGet();
                    call.close(Status.UNAVAILABLE.withDescription(name + " fails first attempts"), new Metadata());
                    return new ServerCall.Listener<>() { };
                }
                String sleep = headers.get(SLEEP_MS);
                if (sleep != null) {
                    try {
                        Thread.sleep(Long.parseLong(sleep));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return next.startCall(call, headers);
            }
        };
        server = Grpc.newServerBuilderForPort(0, credentials)
                .addService(ServerInterceptors.intercept(service, steering))
                .build().start();
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
