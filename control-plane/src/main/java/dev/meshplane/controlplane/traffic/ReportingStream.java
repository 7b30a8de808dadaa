package dev.meshplane.controlplane.traffic;

import dev.meshplane.controlplane.traffic.LoadReportCounters.Reason;
import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * One proxy's reporting stream (LRS or Envoy's metrics service), as both read it: the first message names the
 * caller ({@link ReportingCallers#identify}; otherwise the stream is closed with {@code INVALID_ARGUMENT}), a
 * later message naming another node is ignored ({@code other_node}), and a message with data is recorded
 * against the caller's mesh as this replica sees it when it arrives ({@code unknown_node} when the mesh no
 * longer holds the caller), with the server's time since the stream's previous message. gRPC calls it from one
 * thread at a time.
 *
 * @param <M> the messages the proxy sends
 * @param <R> the answers it is sent
 */
abstract class ReportingStream<M, R> implements StreamObserver<M> {

    protected final StreamObserver<R> responses;
    private final ReportingCallers callers;
    private final LoadReportCounters counters;
    private final String what;
    private String nodeId;
    private ProxyId caller;
    private long lastMessageNanos = System.nanoTime();
    private boolean closed;

    /** @param what the message, for the refusal ("load report", "metrics message") */
    ReportingStream(StreamObserver<R> responses, ReportingCallers callers, LoadReportCounters counters, String what) {
        this.responses = responses;
        this.callers = callers;
        this.counters = counters;
        this.what = what;
    }

    /** The node the message names, or null when it names none. */
    abstract Node node(M message);

    /** Whether the message carries anything to record. */
    abstract boolean carriesData(M message);

    /** Records what the message reports for its caller, {@code elapsedMillis} after the previous message. */
    abstract void record(M message, ProxyId caller, ReportingCallers.Context context, long elapsedMillis);

    /** Called once the first message has named an accepted caller. */
    void identified() {
    }

    /** Answers the end of the stream. */
    void complete() {
        responses.onCompleted();
    }

    @Override
    public final void onNext(M message) {
        if (closed) {
            return;
        }
        Node node = node(message);
        if (caller == null) {
            ReportingCallers.Identified identified = callers.identify(node, what);
            if (identified.caller() == null) {
                counters.ignored(Reason.UNKNOWN_NODE, 1);
                closed = true;
                responses.onError(Status.INVALID_ARGUMENT.withDescription(identified.refusal()).asRuntimeException());
                return;
            }
            nodeId = node.getId();
            caller = identified.caller();
            identified();
        } else if (node != null && !node.getId().equals(nodeId)) {
            counters.ignored(Reason.OTHER_NODE, 1);
            return;
        }
        long now = System.nanoTime();
        long elapsedMillis = (now - lastMessageNanos) / 1_000_000;
        lastMessageNanos = now;
        if (!carriesData(message)) {
            return;
        }
        ReportingCallers.Context context = callers.context(caller);
        if (context == null) {
            return;
        }
        if (context.sourceKind() == null) {
            counters.ignored(Reason.UNKNOWN_NODE, 1);
            return;
        }
        record(message, caller, context, elapsedMillis);
    }

    @Override
    public final void onError(Throwable t) {
        closed = true;
    }

    @Override
    public final void onCompleted() {
        if (!closed) {
            closed = true;
            complete();
        }
    }
}
