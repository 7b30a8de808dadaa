package dev.meshplane.controlplane.traffic;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.UncheckedExecutionException;
import com.google.protobuf.util.Durations;
import dev.meshplane.controlplane.appmesh.AppMeshProperties;
import dev.meshplane.controlplane.traffic.LoadReportCounters.Reason;
import dev.meshplane.controlplane.xds.ConfigPublisher;
import dev.meshplane.controlplane.xds.MeshViewLoader;
import dev.meshplane.controlplane.xds.Proxies;
import dev.meshplane.controlplane.xds.ProxyCache;
import dev.meshplane.snapshot.MeshView;
import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterStats;
import io.envoyproxy.envoy.service.load_stats.v3.LoadReportingServiceGrpc;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsRequest;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Envoy's Load Reporting Service ({@code envoy.service.load_stats.v3.LoadReportingService/StreamLoadStats})
 * on the xDS port, behind the same interceptors as ADS (so, with authentication on, a stream may only
 * report as the node its credential is for). The stream's first request names the caller; the answer
 * asks for every cluster ({@code send_all_clusters}, which Envoy announces as the client feature
 * {@code envoy.lrs.supports_send_all_clusters} and gRPC's clients honour) every
 * {@code meshplane.traffic.reporting-interval}. Each later request's cluster stats are judged by
 * {@link LoadReportRules} and what is believed goes to the {@link TrafficRecorder}; a request naming
 * another node than the first is ignored. Whatever is ignored is counted by reason.
 */
@Component
public class LoadReportingService extends LoadReportingServiceGrpc.LoadReportingServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(LoadReportingService.class);

    private final ConfigPublisher publisher;
    private final MeshViewLoader loader;
    private final ProxyCache cache;
    private final TrafficRecorder recorder;
    private final LoadReportCounters counters;
    private final AppMeshProperties appMesh;
    private final LoadReportRules rules;
    private final LoadStatsResponse answer;
    /**
     * Meshes read for reports whose proxies take their configuration from another replica (this one
     * holds no view of them): read once per reporting interval, not once per report.
     */
    private final Cache<String, Optional<MeshView>> readForReports;

    public LoadReportingService(ConfigPublisher publisher, MeshViewLoader loader, ProxyCache cache, TrafficRecorder recorder,
            LoadReportCounters counters, AppMeshProperties appMesh, TrafficProperties properties) {
        this.publisher = publisher;
        this.loader = loader;
        this.cache = cache;
        this.recorder = recorder;
        this.counters = counters;
        this.appMesh = appMesh;
        this.rules = new LoadReportRules(properties.maxRequestsPerSecond());
        this.readForReports = CacheBuilder.newBuilder()
                .expireAfterWrite(properties.reportingInterval()).maximumSize(1_000).build();
        this.answer = LoadStatsResponse.newBuilder().setSendAllClusters(true)
                .setLoadReportingInterval(Durations.fromMillis(properties.reportingInterval().toMillis())).build();
    }

    @Override
    public StreamObserver<LoadStatsRequest> streamLoadStats(StreamObserver<LoadStatsResponse> responses) {
        return new Stream(responses);
    }

    /** One proxy's reporting stream; gRPC calls it from one thread at a time. */
    private final class Stream implements StreamObserver<LoadStatsRequest> {
        private final StreamObserver<LoadStatsResponse> responses;
        private final LoadReportRules.StreamState state = new LoadReportRules.StreamState();
        private String nodeId;
        private ProxyId caller;
        private long lastReportNanos = System.nanoTime();
        private boolean closed;

        Stream(StreamObserver<LoadStatsResponse> responses) {
            this.responses = responses;
        }

        @Override
        public void onNext(LoadStatsRequest request) {
            if (closed) {
                return;
            }
            if (caller == null) {
                Optional<ProxyId> id = request.hasNode() ? Proxies.identify(request.getNode()) : Optional.empty();
                String foreign = request.hasNode()
                        ? ProxyId.ownerProblem(request.getNode().getId(), appMesh.region(), appMesh.accountId()) : null;
                if (id.isEmpty() || foreign != null) {
                    counters.ignored(Reason.UNKNOWN_NODE, 1);
                    closed = true;
                    responses.onError(Status.INVALID_ARGUMENT.withDescription(!request.hasNode()
                            ? "the first load report must carry the node"
                            : "node id '" + Proxies.shown(request.getNode().getId())
                                    + "' names no virtual node or virtual gateway of this server"
                                    + (foreign == null ? "" : ": " + foreign)).asRuntimeException());
                    return;
                }
                nodeId = request.getNode().getId();
                caller = id.get();
                responses.onNext(answer);
            } else if (request.hasNode() && !request.getNode().getId().equals(nodeId)) {
                counters.ignored(Reason.OTHER_NODE, 1);
                return;
            }
            long now = System.nanoTime();
            long elapsedMillis = (now - lastReportNanos) / 1_000_000;
            lastReportNanos = now;
            if (request.getClusterStatsCount() > 0) {
                record(request, elapsedMillis);
            }
        }

        private void record(LoadStatsRequest request, long elapsedMillis) {
            Optional<MeshView> view;
            try {
                view = publisher.lastRead(caller.mesh()).or(() -> {
                    try {
                        return readForReports.get(caller.mesh(), () -> loader.load(caller.mesh()));
                    } catch (ExecutionException | UncheckedExecutionException e) {
                        throw new IllegalStateException(e.getCause());
                    }
                });
            } catch (RuntimeException e) {
                log.debug("No view of mesh {} for a load report: {}", caller.mesh(), e.toString());
                return;
            }
            String sourceKind = view.map(v -> LoadReportRules.sourceKind(caller, v)).orElse(null);
            if (sourceKind == null) {
                counters.ignored(Reason.UNKNOWN_NODE, 1);
                return;
            }
            Set<String> clusters = cache.snapshot(caller.groupKey())
                    .map(s -> s.get(ResourceType.CLUSTER).resources().keySet()).orElse(null);
            for (ClusterStats stats : request.getClusterStatsList()) {
                LoadReportRules.Verdict verdict = rules.judge(view.get(), clusters, stats, state, elapsedMillis);
                if (verdict.ignored() != null) {
                    counters.ignored(verdict.ignored(), 1);
                } else if (verdict.load() != null) {
                    LoadReportRules.EdgeLoad load = verdict.load();
                    if (recorder.add(caller.mesh(), sourceKind, caller.name(), load.destinationNode(), load.destinationPort(),
                            load.issued(), load.successful(), load.errors(), load.inProgress(), elapsedMillis)) {
                        counters.accepted();
                    }
                }
            }
            state.endReport();
        }

        @Override
        public void onError(Throwable t) {
            closed = true;
        }

        @Override
        public void onCompleted() {
            if (!closed) {
                closed = true;
                responses.onCompleted();
            }
        }
    }
}
