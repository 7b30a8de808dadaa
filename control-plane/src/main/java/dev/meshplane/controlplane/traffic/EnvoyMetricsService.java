package dev.meshplane.controlplane.traffic;

import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.metrics.v3.MetricsServiceGrpc;
import io.envoyproxy.envoy.service.metrics.v3.StreamMetricsMessage;
import io.envoyproxy.envoy.service.metrics.v3.StreamMetricsResponse;
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

    /** One proxy's metrics stream: each message's metric families judged and summed per edge. */
    private final class Stream extends ReportingStream<StreamMetricsMessage, StreamMetricsResponse> {

        Stream(StreamObserver<StreamMetricsResponse> responses) {
            super(responses, callers, counters, "metrics message");
        }

        @Override
        Node node(StreamMetricsMessage message) {
            return message.hasIdentifier() && message.getIdentifier().hasNode() ? message.getIdentifier().getNode() : null;
        }

        @Override
        boolean carriesData(StreamMetricsMessage message) {
            return message.getEnvoyMetricsCount() > 0;
        }

        @Override
        void record(StreamMetricsMessage message, ProxyId caller, ReportingCallers.Context context, long elapsedMillis) {
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
        void complete() {
            // a client-streaming call: its one (empty) answer, which Envoy's sink does not read
            responses.onNext(StreamMetricsResponse.getDefaultInstance());
            responses.onCompleted();
        }
    }
}
