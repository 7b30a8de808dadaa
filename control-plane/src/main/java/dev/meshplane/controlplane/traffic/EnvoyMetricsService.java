package dev.meshplane.controlplane.traffic;

import dev.meshplane.controlplane.traffic.LoadReportCounters.Reason;
import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.envoy.service.metrics.v3.MetricsServiceGrpc;
import io.envoyproxy.envoy.service.metrics.v3.StreamMetricsMessage;
import io.envoyproxy.envoy.service.metrics.v3.StreamMetricsResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Component;

/**
 * Envoy's metrics service ({@code envoy.service.metrics.v3.MetricsService/StreamMetrics}) on the xDS port,
 * behind the same interceptors as ADS and LRS (so, with authentication on, a stream may only report as the
 * node its credential is for). Envoy's sink sends the node in the first message's identifier only
 * ({@code grpc_metrics_service_impl.cc}: "the identifier is only sent on establishing the stream"), then one
 * message of metric families per stats flush; it reads no answer (the call's one answer comes when it ends). Each message is judged by
 * {@link EnvoyMetricsRules} and what is believed goes to the {@link TrafficRecorder}; a later message naming
 * another node is ignored. Whatever is ignored is counted by reason, with the load reports.
 */
@Component
public class EnvoyMetricsService extends MetricsServiceGrpc.MetricsServiceImplBase {

    private final ReportingCallers callers;
    private final TrafficRecorder recorder;
    private final LoadReportCounters counters;
    private final EnvoyMetricsRules rules;

    public EnvoyMetricsService(ReportingCallers callers, TrafficRecorder recorder, LoadReportCounters counters,
            TrafficProperties properties) {
        this.callers = callers;
        this.recorder = recorder;
        this.counters = counters;
        this.rules = new EnvoyMetricsRules(properties.maxRequestsPerSecond());
    }

    @Override
    public StreamObserver<StreamMetricsMessage> streamMetrics(StreamObserver<StreamMetricsResponse> responses) {
        return new Stream(responses);
    }

    /** One proxy's metrics stream; gRPC calls it from one thread at a time. */
    private final class Stream implements StreamObserver<StreamMetricsMessage> {
        private final StreamObserver<StreamMetricsResponse> responses;
        private String nodeId;
        private ProxyId caller;
        private long lastMessageNanos = System.nanoTime();
        private boolean closed;

        Stream(StreamObserver<StreamMetricsResponse> responses) {
            this.responses = responses;
        }

        @Override
        public void onNext(StreamMetricsMessage message) {
            if (closed) {
                return;
            }
            boolean hasNode = message.hasIdentifier() && message.getIdentifier().hasNode();
            if (caller == null) {
                ReportingCallers.Identified identified = callers.identify(hasNode ? message.getIdentifier().getNode() : null,
                        "metrics message");
                if (identified.caller() == null) {
                    counters.ignored(Reason.UNKNOWN_NODE, 1);
                    closed = true;
                    responses.onError(Status.INVALID_ARGUMENT.withDescription(identified.refusal()).asRuntimeException());
                    return;
                }
                nodeId = message.getIdentifier().getNode().getId();
                caller = identified.caller();
            } else if (hasNode && !message.getIdentifier().getNode().getId().equals(nodeId)) {
                counters.ignored(Reason.OTHER_NODE, 1);
                return;
            }
            long now = System.nanoTime();
            long elapsedMillis = (now - lastMessageNanos) / 1_000_000;
            lastMessageNanos = now;
            if (message.getEnvoyMetricsCount() > 0) {
                record(message, elapsedMillis);
            }
        }

        private void record(StreamMetricsMessage message, long elapsedMillis) {
            ReportingCallers.Context context = callers.context(caller);
            if (context == null) {
                return;
            }
            if (context.sourceKind() == null) {
                counters.ignored(Reason.UNKNOWN_NODE, 1);
                return;
            }
            EnvoyMetricsRules.Verdict verdict = rules.judge(context.view(), context.clusters(), message.getEnvoyMetricsList(),
                    elapsedMillis);
            verdict.ignored().forEach(counters::ignored);
            verdict.edges().forEach((destination, metrics) -> {
                if (recorder.addEnvoy(caller.mesh(), context.sourceKind(), caller.name(), destination.node(), destination.port(),
                        metrics.responses(), metrics.bins())) {
                    counters.accepted();
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            closed = true;
        }

        @Override
        public void onCompleted() {
            if (!closed) {
                closed = true;
                // a client-streaming call: its one (empty) answer, which Envoy's sink does not read
                responses.onNext(StreamMetricsResponse.getDefaultInstance());
                responses.onCompleted();
            }
        }
    }
}
