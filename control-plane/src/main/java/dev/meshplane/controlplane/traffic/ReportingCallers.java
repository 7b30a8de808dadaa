package dev.meshplane.controlplane.traffic;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.UncheckedExecutionException;
import dev.meshplane.controlplane.appmesh.AppMeshProperties;
import dev.meshplane.controlplane.xds.ConfigPublisher;
import dev.meshplane.controlplane.xds.MeshViewLoader;
import dev.meshplane.controlplane.xds.Proxies;
import dev.meshplane.controlplane.xds.ProxyCache;
import dev.meshplane.snapshot.MeshView;
import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Who sends a report and what its mesh holds when it arrives, the same for load reports (LRS) and Envoy's
 * metrics service: the node of a stream's first message as ADS identifies it, and the caller's mesh as
 * this replica sees it with the clusters it sent the caller.
 */
@Component
public class ReportingCallers {

    private static final Logger log = LoggerFactory.getLogger(ReportingCallers.class);

    /** A stream's caller, or why the stream is refused (the caller null). */
    record Identified(ProxyId caller, String refusal) {
    }

    /**
     * The caller's mesh when a report arrives: its kind as a traffic source ({@code virtualNode},
     * {@code virtualGateway}, or null when the mesh no longer holds it) and the clusters this replica sends it
     * (null when it does not serve it).
     */
    record Context(MeshView view, String sourceKind, Set<String> clusters) {
    }

    private final ConfigPublisher publisher;
    private final MeshViewLoader loader;
    private final ProxyCache cache;
    private final AppMeshProperties appMesh;
    /**
     * Meshes read for reports whose proxies take their configuration from another replica (this one
     * holds no view of them): read once per reporting interval, not once per report.
     */
    private final Cache<String, Optional<MeshView>> readForReports;

    public ReportingCallers(ConfigPublisher publisher, MeshViewLoader loader, ProxyCache cache, AppMeshProperties appMesh,
            TrafficProperties properties) {
        this.publisher = publisher;
        this.loader = loader;
        this.cache = cache;
        this.appMesh = appMesh;
        this.readForReports = CacheBuilder.newBuilder()
                .expireAfterWrite(properties.reportingInterval()).maximumSize(1_000).build();
    }

    /**
     * The caller a stream's first message names: a node id ADS accepts (a virtual node or gateway of this
     * server's owner and region), or the refusal to close the stream with.
     *
     * @param node the message's node, or null when it carries none
     * @param what the message, for the refusal ("load report", "metrics message")
     */
    Identified identify(Node node, String what) {
        Optional<ProxyId> id = node != null ? Proxies.identify(node) : Optional.empty();
        String foreign = node != null ? ProxyId.ownerProblem(node.getId(), appMesh.region(), appMesh.accountId()) : null;
        if (id.isEmpty() || foreign != null) {
            return new Identified(null, node == null ? "the first " + what + " must carry the node"
                    : "node id '" + Proxies.shown(node.getId()) + "' names no virtual node or virtual gateway of this server"
                            + (foreign == null ? "" : ": " + foreign));
        }
        return new Identified(id.get(), null);
    }

    /** The caller's mesh now, or null when it cannot be read (the database away): the report is then skipped. */
    Context context(ProxyId caller) {
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
            log.debug("No view of mesh {} for a report: {}", caller.mesh(), e.toString());
            return null;
        }
        String sourceKind = view.map(v -> LoadReportRules.sourceKind(caller, v)).orElse(null);
        Set<String> clusters = cache.snapshot(caller.groupKey())
                .map(s -> s.get(ResourceType.CLUSTER).resources().keySet()).orElse(null);
        return new Context(view.orElse(null), sourceKind, clusters);
    }
}
