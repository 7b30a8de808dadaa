package dev.meshplane.controlplane.xds;

import dev.meshplane.controlplane.auth.Authenticator;
import dev.meshplane.controlplane.auth.SecurityEvents;
import dev.meshplane.controlplane.auth.SigV4;
import dev.meshplane.persistence.AuthStore;
import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * With authentication on, an xDS stream must carry a proxy token ({@code authorization: Bearer
 * <token>} in its gRPC metadata) and every node id it sends must be the one the token was issued
 * for (by name or as the node's App Mesh ARN). Otherwise the stream is closed before any request
 * reaches the cache: it receives no resource and no secret. Streams are checked again when tokens
 * are revoked, and cut off. Each refusal and cut-off is written to the audit log.
 */
public final class ProxyAuthInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Authenticator authenticator;
    private final SecurityEvents events;
    private final Set<Checked<?, ?>> open = ConcurrentHashMap.newKeySet();

    public ProxyAuthInterceptor(Authenticator authenticator, SecurityEvents events) {
        this.authenticator = authenticator;
        this.events = events;
    }

    private static String peer(ServerCall<?, ?> call) {
        return "from " + call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    }

    private static String actor(AuthStore.Credential token) {
        return token.name() + " (" + token.id() + ")";
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!authenticator.enabled()) {
            return next.startCall(call, headers);
        }
        String value = headers.get(AUTHORIZATION);
        SigV4.Parsed parsed = value != null && value.startsWith(SigV4.ALGORITHM) ? SigV4.parse(value) : null;
        Optional<AuthStore.Credential> token = parsed != null ? signed(call, headers, parsed)
                : value != null && value.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authenticator.proxyToken(value.substring(7).strip()) : Optional.empty();
        if (token.isEmpty()) {
            events.refused(value == null ? "anonymous" : parsed != null ? "access key " + parsed.accessKeyId() : "bearer token",
                    SecurityEvents.XDS_STREAM_REFUSED, null, "xDS stream", (value == null ? "no proxy token"
                            : parsed != null ? "the signature does not match, or the key is unknown, expired or revoked"
                            : "invalid, altered, expired or revoked proxy token") + " " + peer(call));
            call.close(Status.UNAUTHENTICATED.withDescription("an xDS stream needs a valid Meshplane proxy token:"
                    + " gRPC metadata 'authorization: Bearer <token>'"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        Checked<Q, R> checked = new Checked<>(call, token.get());
        open.add(checked);
        ServerCall.Listener<Q> delegate = next.startCall(checked.call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                Node node = message instanceof DiscoveryRequest request && request.hasNode() ? request.getNode()
                        : message instanceof DeltaDiscoveryRequest request && request.hasNode() ? request.getNode() : null;
                if (node == null && !checked.nodeSeen) {
                    events.refused(actor(checked.token), SecurityEvents.XDS_STREAM_REFUSED, null, "xDS stream",
                            "the first request carries no node " + peer(call));
                    checked.refuse(Status.PERMISSION_DENIED.withDescription("the first request must carry the node"));
                    return;
                }
                Optional<ProxyId> id = node == null ? Optional.empty() : Proxies.identify(node);
                if (node != null && !id.map(proxy -> sameNode(proxy, checked.token.proxyNode())).orElse(false)) {
                    events.refused(actor(checked.token), SecurityEvents.XDS_STREAM_REFUSED, id.map(ProxyId::mesh).orElse(null),
                            node.getId(),
                            "not the node its token was issued for (" + checked.token.proxyNode() + ") " + peer(call));
                    checked.refuse(Status.PERMISSION_DENIED.withDescription("node id '" + node.getId()
                            + "' is not the node this token was issued for"));
                    return;
                }
                if (node != null) {
                    checked.node = node.getId();
                    checked.mesh = id.get().mesh();
                }
                checked.nodeSeen = true;
                if (!checked.closed) {
                    super.onMessage(message);
                }
            }

            @Override
            public void onComplete() {
                open.remove(checked);
                super.onComplete();
            }

            @Override
            public void onCancel() {
                open.remove(checked);
                super.onCancel();
            }
        };
    }

    private static boolean sameNode(ProxyId id, String tokenNode) {
        String resource = id.kind() == ProxyId.Kind.GATEWAY ? "virtualGateway" : "virtualNode";
        if (tokenNode.startsWith("mesh-scope:")) {
            // a SigV4-signed stream: any node of the meshes its access key may act on
            java.util.List<String> meshes = java.util.List.of(tokenNode.substring("mesh-scope:".length()).split(","));
            return meshes.contains("*") || meshes.contains(id.mesh());
        }
        return ("mesh/" + id.mesh() + "/" + resource + "/" + id.name()).equals(tokenNode);
    }

    /**
     * A stream signed with AWS SigV4, as Envoy's AWS IAM gRPC credentials sign it (what App Mesh's
     * Envoy image sends): the request line is POST to the gRPC method's path on the stream's
     * authority, over the signed metadata, with the hash of an empty payload unless the signer
     * sent one. The access key must be one Meshplane issued; the stream may then serve any node of
     * the meshes the key may act on.
     */
    private Optional<AuthStore.Credential> signed(ServerCall<?, ?> call, Metadata headers, SigV4.Parsed parsed) {
        String path = "/" + call.getMethodDescriptor().getFullMethodName();
        return authenticator.accessKey(parsed.accessKeyId())
                .filter(key -> SigV4.verify(parsed, key.secret(), "POST", path, null, name -> {
                    if (name.equals("host")) {
                        return call.getAuthority();
                    }
                    Iterable<String> values = headers.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
                    return values == null ? null : String.join(",", values);
                }, new byte[0], Instant.now()))
                .map(key -> new AuthStore.Credential(key.credential().id(), key.credential().kind(), key.credential().name(),
                        null, null, key.credential().role(), key.credential().meshes(),
                        "mesh-scope:" + key.credential().meshes(), key.credential().createdBy(), key.credential().createdAt(),
                        key.credential().expiresAt(), key.credential().revokedAt()));
    }

    /**
     * Closes the streams whose token or key is no longer valid (revoked or expired); returns how
     * many. One query for all open streams' credentials, however many streams there are.
     */
    public int recheck() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        open.forEach(stream -> ids.add(stream.token.id()));
        java.util.Set<String> unusable = authenticator.unusable(ids);
        int closed = 0;
        for (Checked<?, ?> stream : open) {
            if (unusable.contains(stream.token.id())) {
                events.refused(actor(stream.token), SecurityEvents.XDS_STREAM_CUT_OFF, stream.mesh,
                        stream.node == null ? "xDS stream" : stream.node, "its credential was revoked or has expired");
                stream.refuse(Status.UNAUTHENTICATED.withDescription("the proxy token or access key was revoked or has expired"));
                open.remove(stream);
                closed++;
            }
        }
        return closed;
    }

    /** A stream with its token; sends and closes are serialised so that a refusal cannot race a response. */
    private static final class Checked<Q, R> {
        final AuthStore.Credential token;
        final ServerCall<Q, R> call;
        volatile boolean nodeSeen;
        /** The node id the stream was admitted for, and its mesh, once its first request came. */
        volatile String node;
        volatile String mesh;
        volatile boolean closed;

        Checked(ServerCall<Q, R> call, AuthStore.Credential token) {
            this.token = token;
            Checked<Q, R> self = this;
            this.call = new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void sendMessage(R message) {
                    synchronized (self) {
                        if (!self.closed) {
                            super.sendMessage(message);
                        }
                    }
                }

                @Override
                public void close(Status status, Metadata trailers) {
                    synchronized (self) {
                        if (!self.closed) {
                            self.closed = true;
                            super.close(status, trailers);
                        }
                    }
                }
            };
        }

        synchronized void refuse(Status status) {
            call.close(status, new Metadata());
        }
    }
}
