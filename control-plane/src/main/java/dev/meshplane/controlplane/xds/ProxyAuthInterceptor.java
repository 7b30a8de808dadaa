package dev.meshplane.controlplane.xds;

import dev.meshplane.controlplane.auth.Authenticator;
import dev.meshplane.controlplane.auth.Principal;
import dev.meshplane.controlplane.auth.SecurityEvents;
import dev.meshplane.controlplane.auth.SigV4;
import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsRequest;
import io.envoyproxy.envoy.service.metrics.v3.StreamMetricsMessage;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * With authentication on, an xDS stream (ADS, load reports or Envoy's metrics) must carry a credential in its gRPC metadata: a proxy token
 * or an API token ({@code authorization: Bearer <token>}), or an AWS SigV4 signature by a Meshplane
 * access key, made as Envoy's AWS IAM gRPC credentials make it. The credential's principal then
 * decides, through {@link Principal#xds}, what the stream may receive as the node each request
 * names: a proxy credential its own node's configuration and secrets, an admin of the node's mesh
 * the configuration only, anyone else nothing. A stream refused is closed before any request
 * reaches the cache: it receives no resource and no secret; a request for secrets by a principal
 * without them closes the stream too, and no secret is ever sent on such a stream. Streams are
 * checked again when credentials are revoked, and cut off. Each refusal and cut-off is written to
 * the audit log.
 */
public final class ProxyAuthInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** Envoy's AWS IAM gRPC credentials sign every call as a POST of an empty body to the method's path. */
    private static final byte[] NO_BODY = new byte[0];

    private final Authenticator authenticator;
    private final SecurityEvents events;
    private final Runnable loadReportRefused;
    private final Set<Checked<?, ?>> open = ConcurrentHashMap.newKeySet();

    /**
     * @param loadReportRefused called when a load report or metrics message is refused for naming a node its
     *                          credential is not for (it is counted with the load reports ignored)
     */
    public ProxyAuthInterceptor(Authenticator authenticator, SecurityEvents events, Runnable loadReportRefused) {
        this.authenticator = authenticator;
        this.events = events;
        this.loadReportRefused = loadReportRefused;
    }

    private static String peer(ServerCall<?, ?> call) {
        return "from " + call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!authenticator.enabled()) {
            return next.startCall(call, headers);
        }
        Principal principal;
        try {
            principal = authenticate(call, headers);
        } catch (RefusedException refused) {
            events.refused(refused.actor, SecurityEvents.XDS_STREAM_REFUSED, null, "xDS stream",
                    refused.getMessage() + " " + peer(call));
            call.close(Status.UNAUTHENTICATED.withDescription("an xDS stream needs a valid Meshplane credential: gRPC"
                    + " metadata 'authorization: Bearer <proxy token>', or a SigV4 signature by a Meshplane access key: "
                    + refused.getMessage()), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        Checked<Q, R> checked = new Checked<>(call, principal);
        open.add(checked);
        ServerCall.Listener<Q> delegate = next.startCall(checked.call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                Node node = message instanceof DiscoveryRequest request && request.hasNode() ? request.getNode()
                        : message instanceof DeltaDiscoveryRequest request && request.hasNode() ? request.getNode()
                        : message instanceof LoadStatsRequest request && request.hasNode() ? request.getNode()
                        : message instanceof StreamMetricsMessage metrics && metrics.getIdentifier().hasNode()
                                ? metrics.getIdentifier().getNode() : null;
                if (node == null && !checked.nodeSeen) {
                    events.refused(principal.actor(), SecurityEvents.XDS_STREAM_REFUSED, null, "xDS stream",
                            "the first request carries no node " + peer(call));
                    checked.refuse(Status.PERMISSION_DENIED.withDescription("the first request must carry the node"));
                    return;
                }
                if (node != null) {
                    Optional<ProxyId> id = Proxies.identify(node);
                    Principal.XdsGrant grant = id.map(principal::xds).orElse(Principal.XdsGrant.NONE);
                    if (grant == Principal.XdsGrant.NONE) {
                        String why = principal.role() == Principal.Role.PROXY
                                ? "it is not the node this credential was issued for (" + String.join(",", principal.nodes()) + ")"
                                : "a " + principal.role().name().toLowerCase(Locale.ROOT) + " credential on "
                                        + String.join(",", principal.meshes()) + " may not stream as a proxy: it needs a proxy"
                                        + " token or proxy access key for the node (or admin on its mesh, for configuration only)";
                        if (message instanceof LoadStatsRequest || message instanceof StreamMetricsMessage) {
                            loadReportRefused.run();
                        }
                        events.refused(principal.actor(), SecurityEvents.XDS_STREAM_REFUSED, id.map(ProxyId::mesh).orElse(null),
                                Proxies.shown(node.getId()), why + " " + peer(call));
                        checked.refuse(Status.PERMISSION_DENIED.withDescription("node id '" + Proxies.shown(node.getId())
                                + "' is refused: " + why));
                        return;
                    }
                    checked.node = node.getId();
                    checked.mesh = id.get().mesh();
                    checked.grant = grant;
                }
                checked.nodeSeen = true;
                if (asksForSecrets(message) && checked.grant != Principal.XdsGrant.CONFIGURATION_AND_SECRETS) {
                    String why = "a " + principal.role().name().toLowerCase(Locale.ROOT) + " credential may not receive a"
                            + " proxy's secrets: only a proxy token or proxy access key for the node may";
                    events.refused(principal.actor(), SecurityEvents.XDS_STREAM_REFUSED, checked.mesh, SigV4.printable(checked.node),
                            why + " " + peer(call));
                    checked.refuse(Status.PERMISSION_DENIED.withDescription(why));
                    return;
                }
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

    private static boolean asksForSecrets(Object message) {
        String type = message instanceof DiscoveryRequest request ? request.getTypeUrl()
                : message instanceof DeltaDiscoveryRequest request ? request.getTypeUrl() : "";
        return type.equals(Resources.V3.SECRET_TYPE_URL);
    }

    private static boolean carriesSecrets(Object message) {
        String type = message instanceof DiscoveryResponse response ? response.getTypeUrl()
                : message instanceof DeltaDiscoveryResponse response ? response.getTypeUrl() : "";
        return type.equals(Resources.V3.SECRET_TYPE_URL);
    }

    /** The principal of the stream's credential. */
    private Principal authenticate(ServerCall<?, ?> call, Metadata headers) throws RefusedException {
        String value = headers.get(AUTHORIZATION);
        if (value == null) {
            throw new RefusedException("anonymous", "no credentials");
        }
        if (value.startsWith(SigV4.ALGORITHM)) {
            try {
                return authenticator.signed(value, signedRequest(call, headers)).principal();
            } catch (SigV4.Rejected rejected) {
                throw new RefusedException(rejected.accessKeyId() == null ? "anonymous" : "access key " + rejected.accessKeyId(),
                        rejected.getMessage());
            }
        }
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = value.substring(7).strip();
            return authenticator.proxyToken(token).map(Authenticator::principal).or(() -> authenticator.bearer(token))
                    .orElseThrow(() -> new RefusedException("bearer token", "invalid, altered, expired or revoked proxy token"));
        }
        throw new RefusedException("anonymous", "an authorization of an unknown scheme");
    }

    /**
     * The stream as Envoy's AWS IAM gRPC credentials sign it (source/extensions/grpc_credentials/aws_iam):
     * POST to {@code /<service>/<method>} on the stream's authority (without a default port), the signed
     * metadata as headers, and the hash of an empty payload (which is also what it sends as
     * {@code x-amz-content-sha256}).
     */
    private static SigV4.Request signedRequest(ServerCall<?, ?> call, Metadata headers) {
        return new SigV4.Request("POST", "/" + call.getMethodDescriptor().getFullMethodName(), null, name -> {
            if (name.equals("host")) {
                return SigV4.host(call.getAuthority());
            }
            if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                return null; // binary metadata is never signed by a SigV4 signer
            }
            Iterable<String> values = headers.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
            return values == null ? null : String.join(",", values);
        }, NO_BODY);
    }

    /** A stream refused before it starts: who it claimed to be, and why (the message). */
    private static final class RefusedException extends Exception {
        final String actor;

        RefusedException(String actor, String detail) {
            super(detail, null, false, false);
            this.actor = actor;
        }
    }

    /**
     * Closes the streams whose token or key is no longer valid (revoked or expired); returns how
     * many. One query for all open streams' credentials, however many streams there are.
     */
    public int recheck() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        open.forEach(stream -> ids.add(stream.principal.id()));
        ids.remove(Authenticator.BOOTSTRAP_ID); // a setting, not a stored credential
        java.util.Set<String> unusable = authenticator.unusable(ids);
        int closed = 0;
        for (Checked<?, ?> stream : open) {
            if (unusable.contains(stream.principal.id())) {
                events.refused(stream.principal.actor(), SecurityEvents.XDS_STREAM_CUT_OFF, stream.mesh,
                        stream.node == null ? "xDS stream" : stream.node, "its credential was revoked or has expired");
                stream.refuse(Status.UNAUTHENTICATED.withDescription("the proxy token or access key was revoked or has expired"));
                open.remove(stream);
                closed++;
            }
        }
        return closed;
    }

    /**
     * A stream with its principal; sends and closes are serialised so that a refusal cannot race a
     * response, and a response carrying secrets is never sent to a stream not granted them.
     */
    private static final class Checked<Q, R> {
        final Principal principal;
        final ServerCall<Q, R> call;
        volatile boolean nodeSeen;
        /** The node id the stream was admitted for, its mesh and what it may receive, once its first request came. */
        volatile String node;
        volatile String mesh;
        volatile Principal.XdsGrant grant = Principal.XdsGrant.NONE;
        volatile boolean closed;

        Checked(ServerCall<Q, R> call, Principal principal) {
            this.principal = principal;
            Checked<Q, R> self = this;
            this.call = new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void sendMessage(R message) {
                    synchronized (self) {
                        if (!self.closed && (self.grant == Principal.XdsGrant.CONFIGURATION_AND_SECRETS
                                || !carriesSecrets(message))) {
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
