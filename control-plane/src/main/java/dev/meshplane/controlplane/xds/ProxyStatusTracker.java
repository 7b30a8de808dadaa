package dev.meshplane.controlplane.xds;

import dev.meshplane.api.validation.TextRules;
import dev.meshplane.controlplane.appmesh.AppMeshProperties;
import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every xDS stream: which proxy it is, what was sent, what was ACKed, and NACKs with the
 * client's own error text. Refuses streams whose node id names no virtual node or gateway, or names
 * one of another mesh owner or region than this server's ({@link ProxyId#ownerProblem}).
 */
public class ProxyStatusTracker implements DiscoveryServerCallbacks {

    private static final Logger log = LoggerFactory.getLogger(ProxyStatusTracker.class);

    private final ConcurrentHashMap<Long, StreamState> streams = new ConcurrentHashMap<>();
    private final ProxyCache cache;
    private final PublisherMetrics metrics;
    private final dev.meshplane.controlplane.security.CertificateAuthority authority;
    private final AppMeshProperties appMesh;

    public ProxyStatusTracker(ProxyCache cache, PublisherMetrics metrics,
            dev.meshplane.controlplane.security.CertificateAuthority authority, AppMeshProperties appMesh) {
        this.cache = cache;
        this.metrics = metrics;
        this.authority = authority;
        this.appMesh = appMesh;
    }

    /**
     * A rejected configuration, as the client reported it: its type and message kept to {@link #NACK_TEXT_LENGTH}
     * characters, since a client writes them as it likes and they reach logs, {@code /v1/proxies}, the graph and the console.
     */
    public record Nack(String typeUrl, String rejectedVersion, String message, Instant at) {
    }

    /**
     * The most characters kept of a NACK's type and message (and of a node's user agent): Envoy's own messages name the
     * rejected resources and their errors in far less; the proxy's log keeps the whole text.
     */
    static final int NACK_TEXT_LENGTH = 4096;

    /** The text cut to {@code max} characters (not inside a surrogate pair), with its full length after. */
    static String clipped(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "... (" + text.length() + " characters)";
    }

    /** One connected proxy (one stream), for the status API. */
    public record ProxyStatus(long streamId, String nodeId, ProxyId proxy, String userAgent, Instant connectedSince,
            Map<String, String> sent, Map<String, String> acked, Nack lastNack, long responses) {
    }

    private static final class StreamState {
        final long id;
        final Instant openedAt = Instant.now();
        volatile Node node;
        volatile ProxyId proxy;
        final Map<String, String> sent = new ConcurrentHashMap<>();
        final Map<String, String> acked = new ConcurrentHashMap<>();
        volatile Nack lastNack;
        final java.util.concurrent.atomic.AtomicLong responses = new java.util.concurrent.atomic.AtomicLong();

        StreamState(long id) {
            this.id = id;
        }

        ProxyStatus status() {
            return new ProxyStatus(id, node == null ? null : node.getId(), proxy,
                    node == null ? null : clipped(node.getUserAgentName(), NACK_TEXT_LENGTH), openedAt, Map.copyOf(sent), Map.copyOf(acked),
                    lastNack, responses.get());
        }
    }

    public List<ProxyStatus> proxies() {
        return streams.values().stream().filter(s -> s.proxy != null).map(StreamState::status)
                .sorted(Comparator.comparing(ProxyStatus::nodeId).thenComparing(ProxyStatus::streamId)).toList();
    }

    public Optional<ProxyStatus> byNodeId(String nodeId) {
        return proxies().stream().filter(p -> p.nodeId().equals(nodeId)).findFirst();
    }

    @Override
    public void onStreamOpen(long streamId, String typeUrl) {
        streams.put(streamId, new StreamState(streamId));
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
        closed(streamId);
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
        closed(streamId);
    }

    private void closed(long streamId) {
        StreamState state = streams.remove(streamId);
        if (state != null && state.proxy != null) {
            String group = state.proxy.groupKey();
            boolean others = streams.values().stream().anyMatch(s -> s.proxy != null && s.proxy.groupKey().equals(group));
            if (!others) {
                cache.release(group);
                metrics.released(group);
                authority.release(group);
            }
        }
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
        StreamState state = identify(streamId, request.getNode());
        if (!request.getResponseNonce().isEmpty()) {
            if (request.hasErrorDetail()) {
                nack(state, request.getTypeUrl(), request.getErrorDetail().getMessage());
            } else {
                state.acked.put(request.getTypeUrl(), request.getVersionInfo());
                metrics.ack(state.proxy.groupKey(), request.getTypeUrl(), request.getVersionInfo());
            }
        }
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) throws RequestException {
        StreamState state = identify(streamId, request.getNode());
        if (!request.getResponseNonce().isEmpty()) {
            if (request.hasErrorDetail()) {
                nack(state, request.getTypeUrl(), request.getErrorDetail().getMessage());
            } else {
                String version = state.sent.getOrDefault(request.getTypeUrl(), "");
                state.acked.put(request.getTypeUrl(), version);
                metrics.ack(state.proxy.groupKey(), request.getTypeUrl(), version);
            }
        }
    }

    @Override
    public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
        StreamState state = streams.get(streamId);
        if (state != null) {
            state.sent.put(response.getTypeUrl(), response.getVersionInfo());
            state.responses.incrementAndGet();
            metrics.response(response.getTypeUrl());
        }
    }

    @Override
    public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
        StreamState state = streams.get(streamId);
        if (state != null) {
            state.sent.put(response.getTypeUrl(), response.getSystemVersionInfo());
            state.responses.incrementAndGet();
            metrics.response(response.getTypeUrl());
        }
    }

    private StreamState identify(long streamId, Node node) throws RequestException {
        StreamState state = streams.computeIfAbsent(streamId, StreamState::new);
        if (state.proxy == null) {
            Optional<ProxyId> proxy = Proxies.identify(node);
            if (proxy.isEmpty()) {
                // java-control-plane closes the stream without a close callback: nothing of it may stay here
                streams.remove(streamId);
                log.warn("Refusing xDS stream {}: node id '{}' names no virtual node or gateway", streamId,
                        node == null ? null : Proxies.shown(node.getId()));
                throw new RequestException(Status.INVALID_ARGUMENT.withDescription("node.id '"
                        + (node == null ? "" : Proxies.shown(node.getId())) + "' must be mesh/<mesh>/virtualNode/<name>,"
                        + " mesh/<mesh>/virtualGateway/<name> (the mesh optionally as <mesh>@<owner account>) or the App Mesh"
                        + " ARN of either"));
            }
            String foreign = ProxyId.ownerProblem(node.getId(), appMesh.region(), appMesh.accountId());
            if (foreign != null) {
                streams.remove(streamId);
                log.warn("Refusing xDS stream {}: node id '{}' names another App Mesh's mesh: {}", streamId,
                        Proxies.shown(node.getId()), foreign);
                throw new RequestException(Status.INVALID_ARGUMENT.withDescription("node.id '" + Proxies.shown(node.getId())
                        + "' names a mesh this server does not hold: " + foreign));
            }
            state.node = node;
            state.proxy = proxy.get();
            String mesh = proxy.get().mesh();
            ProxyId.Kind kind = proxy.get().kind();
            metrics.proxiesGauge(mesh, kind.name().toLowerCase(), streams, all -> all.values().stream()
                    .filter(s -> s.proxy != null && s.proxy.mesh().equals(mesh) && s.proxy.kind() == kind).count());
            log.info("Proxy connected: {} ({}, stream {})", node.getId(), proxy.get().kind(), streamId);
        }
        return state;
    }

    private void nack(StreamState state, String typeUrl, String message) {
        Nack nack = new Nack(clipped(typeUrl, NACK_TEXT_LENGTH), state.sent.get(typeUrl), clipped(message, NACK_TEXT_LENGTH),
                Instant.now());
        state.lastNack = nack;
        metrics.nack(typeUrl);
        // the node id is known to be printable (Proxies.identify); the rest is the client's text
        log.warn("Proxy {} rejected {} version {}: {}", state.node.getId(), TextRules.printable(nack.typeUrl()),
                TextRules.printable(nack.rejectedVersion()), TextRules.printable(nack.message()));
    }
}
