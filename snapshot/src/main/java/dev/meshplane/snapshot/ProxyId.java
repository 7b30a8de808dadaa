package dev.meshplane.snapshot;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who a proxy is, from its xDS {@code node.id}: {@code mesh/<mesh>/virtualNode/<name>},
 * {@code mesh/<mesh>/virtualGateway/<name>}, or the App Mesh ARN of either. Proxyless gRPC
 * clients use the same ids and are told apart by their user agent.
 */
public record ProxyId(String mesh, Kind kind, String name) {

    /** What sort of data plane asks, which decides the shape of its configuration. */
    public enum Kind {
        /** An Envoy sidecar of a virtual node. */
        SIDECAR,
        /** An Envoy ingress gateway of a virtual gateway. */
        GATEWAY,
        /** A gRPC application using gRPC's own xDS support in place of a sidecar. */
        GRPC_CLIENT
    }

    private static final Pattern ID = Pattern.compile(
            "^(?:arn:aws[a-z-]*:appmesh:[^:]*:[^:]*:)?mesh/([^/]+)/(virtualNode|virtualGateway)/([^/]+)$");

    /** Parses a node id; empty when it names no virtual node or gateway. */
    public static Optional<ProxyId> parse(String nodeId, boolean proxyless) {
        if (nodeId == null) {
            return Optional.empty();
        }
        Matcher m = ID.matcher(nodeId);
        if (!m.matches()) {
            return Optional.empty();
        }
        Kind kind = m.group(2).equals("virtualGateway") ? Kind.GATEWAY : proxyless ? Kind.GRPC_CLIENT : Kind.SIDECAR;
        return Optional.of(new ProxyId(m.group(1), kind, m.group(3)));
    }

    /** The key proxies with identical configuration share: every replica of one virtual node of one kind. */
    public String groupKey() {
        String resource = kind == Kind.GATEWAY ? "virtualGateway" : "virtualNode";
        return kind.name().toLowerCase() + ":mesh/" + mesh + "/" + resource + "/" + name;
    }
}
