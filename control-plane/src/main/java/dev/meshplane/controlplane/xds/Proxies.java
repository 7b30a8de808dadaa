package dev.meshplane.controlplane.xds;

import dev.meshplane.api.validation.TextRules;
import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Locale;
import java.util.Optional;

/** Recognises a proxy from its xDS node: the id names it, the user agent says whether it is proxyless gRPC. */
public final class Proxies {

    /** Node metadata key a client may set to declare itself proxyless whatever its user agent. */
    public static final String PROXYLESS_METADATA = "meshplane.proxyless";

    private Proxies() {
    }

    /**
     * The proxy a node id names (see {@link ProxyId#parse}), or empty when it names none; an id with a
     * control character names none (a line feed in it would forge log lines).
     */
    public static Optional<ProxyId> identify(Node node) {
        if (node == null || TextRules.problem(node.getId(), false) != null) {
            return Optional.empty();
        }
        boolean proxyless = node.getUserAgentName().toLowerCase(Locale.ROOT).contains("grpc")
                || (node.getMetadata().containsFields(PROXYLESS_METADATA)
                    && node.getMetadata().getFieldsOrThrow(PROXYLESS_METADATA).getBoolValue());
        return ProxyId.parse(node.getId(), proxyless);
    }
}
