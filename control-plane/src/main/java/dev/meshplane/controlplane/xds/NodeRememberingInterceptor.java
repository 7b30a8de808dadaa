package dev.meshplane.controlplane.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * xDS clients may send their node only on a stream's first request (grpc-js does). The cache
 * identifies proxies by node on every request, so this fills the stream's first node into the
 * requests that come without one.
 */
public final class NodeRememberingInterceptor implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private Node node;

            @Override
            @SuppressWarnings("unchecked")
            public void onMessage(Q message) {
                if (message instanceof DiscoveryRequest request) {
                    if (request.hasNode()) {
                        node = request.getNode();
                    } else if (node != null) {
                        message = (Q) request.toBuilder().setNode(node).build();
                    }
                } else if (message instanceof DeltaDiscoveryRequest request) {
                    if (request.hasNode()) {
                        node = request.getNode();
                    } else if (node != null) {
                        message = (Q) request.toBuilder().setNode(node).build();
                    }
                }
                super.onMessage(message);
            }
        };
    }
}
