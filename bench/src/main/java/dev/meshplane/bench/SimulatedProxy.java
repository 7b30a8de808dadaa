package dev.meshplane.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated Envoy on one ADS stream: CDS and LDS as wildcards, then EDS for its EDS clusters and
 * RDS for the route configurations its listeners name, ACKing every response (or NACKing when told),
 * and recording when each version arrived.
 */
final class SimulatedProxy {

    static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    static final String SDS = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
    /** With mTLS on, every proxy's listeners and clusters name these (Meshplane's built-in secrets). */
    static final Set<String> SECRETS = Set.of("meshplane:identity", "meshplane:trust");
    static final List<String> TYPES = List.of(CDS, EDS, LDS, RDS);
    /** App Mesh's name for a proxy's cluster towards another node's listener: {@code cds_egress_<mesh>_<node>_<protocol>_<port>}. */
    static final String EGRESS_PREFIX = "cds_egress_";

    /** One response as it arrived. */
    record Arrival(String typeUrl, String version, long nanos, int bytes) {
    }

    final String nodeId;
    final int replica;
    final Map<String, String> versions = new ConcurrentHashMap<>();
    final Map<String, Arrival> latest = new ConcurrentHashMap<>();
    final AtomicLong responses = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    private final Map<String, String> nonces = new ConcurrentHashMap<>();
    private volatile Set<String> edsNames = Set.of();
    /** The clusters towards other nodes' listeners, as the last CDS response named them (what it reports load for). */
    volatile Set<String> egressClusters = Set.of();
    private volatile Set<String> rdsNames = Set.of();
    private volatile boolean edsAnswered;
    private volatile boolean rdsAnswered;
    private final Set<String> sdsNames;
    private volatile boolean sdsAnswered;
    private volatile String nackNext;
    private StreamObserver<DiscoveryRequest> requests;
    private Channel channel;
    private volatile boolean closed;

    SimulatedProxy(String nodeId, int replica) {
        this(nodeId, replica, false);
    }

    /** With {@code secrets}, it also asks for the built-in certificate and trust bundle over SDS, as Envoy does under mTLS. */
    SimulatedProxy(String nodeId, int replica, boolean secrets) {
        this.nodeId = nodeId;
        this.replica = replica;
        this.sdsNames = secrets ? SECRETS : Set.of();
    }

    /** Opens the stream; on a reconnect it asks with the versions it already has, as Envoy does. */
    synchronized void connect(Channel channel) {
        this.channel = channel;
        closed = false;
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
                received(response);
            }

            @Override
            public void onError(Throwable t) {
                closed = true;
            }

            @Override
            public void onCompleted() {
                closed = true;
            }
        });
        send(DiscoveryRequest.newBuilder().setNode(node()).setTypeUrl(CDS).setVersionInfo(versions.getOrDefault(CDS, "")).build());
        send(DiscoveryRequest.newBuilder().setTypeUrl(LDS).setVersionInfo(versions.getOrDefault(LDS, "")).build());
        if (!edsNames.isEmpty()) {
            send(request(EDS, versions.getOrDefault(EDS, ""), "", edsNames));
        }
        if (!rdsNames.isEmpty()) {
            send(request(RDS, versions.getOrDefault(RDS, ""), "", rdsNames));
        }
        if (!sdsNames.isEmpty()) {
            send(request(SDS, versions.getOrDefault(SDS, ""), "", sdsNames));
        }
    }

    /** The node it names on its streams: an Envoy (user agent {@code envoy}) of its virtual node, numbered among its replicas. */
    Node node() {
        return Node.newBuilder().setId(nodeId).setCluster(nodeId).setUserAgentName("envoy")
                .setMetadata(com.google.protobuf.Struct.newBuilder().putFields("replica",
                        com.google.protobuf.Value.newBuilder().setNumberValue(replica).build()))
                .build();
    }

    /** The connection its ADS stream is on (Envoy opens its load reporting stream on the same one). */
    synchronized Channel channel() {
        return channel;
    }

    boolean isClosed() {
        return closed;
    }

    void nackNext(String typeUrl) {
        nackNext = typeUrl;
    }

    /** Has it a complete configuration: clusters, listeners, the endpoints and routes they name, and its secrets? */
    boolean configured() {
        return versions.containsKey(CDS) && versions.containsKey(LDS)
                && (edsNames.isEmpty() || edsAnswered) && (rdsNames.isEmpty() || rdsAnswered)
                && (sdsNames.isEmpty() || sdsAnswered);
    }

    private synchronized void send(DiscoveryRequest request) {
        if (!closed) {
            requests.onNext(request);
        }
    }

    private static DiscoveryRequest request(String type, String version, String nonce, Set<String> names) {
        return DiscoveryRequest.newBuilder().setTypeUrl(type).setVersionInfo(version).setResponseNonce(nonce)
                .addAllResourceNames(names).build();
    }

    private void received(DiscoveryResponse response) {
        long now = System.nanoTime();
        String type = response.getTypeUrl();
        int size = response.getSerializedSize();
        responses.incrementAndGet();
        bytes.addAndGet(size);
        latest.put(type, new Arrival(type, response.getVersionInfo(), now, size));
        nonces.put(type, response.getNonce());
        if (type.equals(nackNext)) {
            nackNext = null;
            send(DiscoveryRequest.newBuilder().setTypeUrl(type).setVersionInfo(versions.getOrDefault(type, ""))
                    .setResponseNonce(response.getNonce())
                    .setErrorDetail(Status.newBuilder().setCode(3).setMessage("simulated rejection")).build());
            return;
        }
        versions.put(type, response.getVersionInfo());
        switch (type) {
            case CDS -> {
                send(request(CDS, response.getVersionInfo(), response.getNonce(), Set.of()));
                Set<String> names = new TreeSet<>();
                Set<String> egress = new TreeSet<>();
                for (var any : response.getResourcesList()) {
                    Cluster cluster = unpack(any, Cluster.class);
                    if (cluster.getType() == Cluster.DiscoveryType.EDS) {
                        names.add(cluster.getName());
                    }
                    if (cluster.getName().startsWith(EGRESS_PREFIX)) {
                        egress.add(cluster.getName());
                    }
                }
                egressClusters = egress;
                if (!names.equals(edsNames)) {
                    edsNames = names;
                    edsAnswered = false;
                    send(request(EDS, versions.getOrDefault(EDS, ""), nonces.getOrDefault(EDS, ""), names));
                }
            }
            case LDS -> {
                send(request(LDS, response.getVersionInfo(), response.getNonce(), Set.of()));
                Set<String> names = new TreeSet<>();
                for (var any : response.getResourcesList()) {
                    Listener listener = unpack(any, Listener.class);
                    for (FilterChain chain : listener.getFilterChainsList()) {
                        for (Filter filter : chain.getFiltersList()) {
                            if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
                                names.add(unpack(filter.getTypedConfig(), HttpConnectionManager.class).getRds().getRouteConfigName());
                            }
                        }
                    }
                }
                if (!names.equals(rdsNames)) {
                    rdsNames = names;
                    rdsAnswered = false;
                    send(request(RDS, versions.getOrDefault(RDS, ""), nonces.getOrDefault(RDS, ""), names));
                }
            }
            case EDS -> {
                edsAnswered = true;
                send(request(EDS, response.getVersionInfo(), response.getNonce(), edsNames));
            }
            case SDS -> {
                sdsAnswered = response.getResourcesCount() == sdsNames.size();
                send(request(SDS, response.getVersionInfo(), response.getNonce(), sdsNames));
            }
            default -> {
                rdsAnswered = true;
                send(request(RDS, response.getVersionInfo(), response.getNonce(), rdsNames));
            }
        }
    }

    private static <T extends com.google.protobuf.Message> T unpack(com.google.protobuf.Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized void close() {
        if (!closed) {
            closed = true;
            requests.onCompleted();
        }
    }
}
