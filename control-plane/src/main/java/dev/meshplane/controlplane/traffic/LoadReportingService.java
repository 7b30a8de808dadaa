package dev.meshplane.controlplane.traffic;

import com.google.protobuf.util.Durations;
import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterStats;
import io.envoyproxy.envoy.service.load_stats.v3.LoadReportingServiceGrpc;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsRequest;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Envoy's Load Reporting Service ({@code envoy.service.load_stats.v3.LoadReportingService/StreamLoadStats})
 * on the xDS port, behind the same interceptors as ADS (so, with authentication on, a stream may only
 * report as the node its credential is for). The stream's first request names the caller; the answer
 * asks for every cluster ({@code send_all_clusters}, which Envoy announces as the client feature
 * {@code envoy.lrs.supports_send_all_clusters} and gRPC's clients honour) every
 * {@code meshplane.traffic.reporting-interval}. Each later request's cluster stats are judged by
 * {@link LoadReportRules}, its loads summed per edge and held to the limit, and what is believed goes to the
 * {@link TrafficRecorder}; a request naming
 * another node than the first is ignored. Whatever is ignored is counted by reason.
 */
@Component
public class LoadReportingService extends LoadReportingServiceGrpc.LoadReportingServiceImplBase {

    private final ReportingCallers callers;
    private final TrafficRecorder recorder;
    private final LoadReportCounters counters;
    private final LoadReportRules rules;
    private final LoadStatsResponse answer;
    /** The longest time one report may cover: its counts are of one reporting interval, with room for lateness. */
    private final long maxCoveredMillis;

    public LoadReportingService(ReportingCallers callers, TrafficRecorder recorder, LoadReportCounters counters,
            TrafficProperties properties) {
        this.callers = callers;
        this.recorder = recorder;
        this.counters = counters;
        this.rules = new LoadReportRules(properties.maxRequestsPerSecond());
        this.answer = LoadStatsResponse.newBuilder().setSendAllClusters(true)
                .setLoadReportingInterval(Durations.fromMillis(properties.reportingInterval().toMillis())).build();
        this.maxCoveredMillis = 2 * properties.reportingInterval().toMillis();
    }

    @Override
    public StreamObserver<LoadStatsRequest> streamLoadStats(StreamObserver<LoadStatsResponse> responses) {
        return new Stream(responses);
    }

    /** One proxy's load reporting stream: answered once identified, each report judged per cluster and summed per edge. */
    private final class Stream extends ReportingStream<LoadStatsRequest, LoadStatsResponse> {
        private final LoadReportRules.StreamState state = new LoadReportRules.StreamState();

        Stream(StreamObserver<LoadStatsResponse> responses) {
            super(responses, callers, counters, "load report");
        }

        @Override
        Node node(LoadStatsRequest request) {
            return request.hasNode() ? request.getNode() : null;
        }

        @Override
        boolean carriesData(LoadStatsRequest request) {
            return request.getClusterStatsCount() > 0;
        }

        @Override
        void identified() {
            responses.onNext(answer);
        }

        @Override
        void record(LoadStatsRequest request, ProxyId caller, ReportingCallers.Context context, long elapsedMillis) {
            List<LoadReportRules.EdgeLoad> loads = new ArrayList<>();
            for (ClusterStats stats : request.getClusterStatsList()) {
                LoadReportRules.Verdict verdict = rules.judge(context.view(), context.clusters(), stats, state);
                if (verdict.ignored() != null) {
                    counters.ignored(verdict.ignored(), 1);
                } else if (verdict.load() != null) {
                    loads.add(verdict.load());
                }
            }
            for (LoadReportRules.EdgeLoad load : rules.perEdge(loads, elapsedMillis, maxCoveredMillis, r -> counters.ignored(r, 1))) {
                if (recorder.add(caller.mesh(), context.sourceKind(), caller.name(), load.destinationNode(), load.destinationPort(),
                        load.issued(), load.successful(), load.errors(), load.inProgress(), Math.min(elapsedMillis, maxCoveredMillis))) {
                    counters.accepted();
                }
            }
            state.endReport();
        }
    }
}
