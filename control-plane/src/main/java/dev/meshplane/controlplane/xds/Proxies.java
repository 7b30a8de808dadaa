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
    /**
     * The longest node id that can name a proxy: the ARN of a gateway with 255-character mesh and gateway names
     * (the API's limit) in the longest partition and region is under 700 characters. gRPC takes messages of 4 MB.
     */
    static final int MAX_NODE_ID_LENGTH = 1024;
    private static final int SHOWN_LENGTH = 300;

    private Proxies() {
    }

    /**
     * The proxy a node id names (see {@link ProxyId#parse}), or empty when it names none; an id with a
     * control character names none (a line feed in it would forge log lines), nor one longer than any id
     * can be ({@value #MAX_NODE_ID_LENGTH} characters).
     */
    public static Optional<ProxyId> identify(Node node) {
        if (node == null || node.getId().length() > MAX_NODE_ID_LENGTH || TextRules.problem(node.getId(), false) != null) {
            return Optional.empty();
        }
        boolean proxyless = node.getUserAgentName().toLowerCase(Locale.ROOT).contains("grpc")
                || (node.getMetadata().containsFields(PROXYLESS_METADATA)
                    && node.getMetadata().getFieldsOrThrow(PROXYLESS_METADATA).getBoolValue());
        return ProxyId.parse(node.getId(), proxyless);
    }

    /**
     * A node id as logs, audit rows and stream errors show it: printable, and at most 300 characters with its
     * length after, so that a client's megabytes of id reach no log line, audit row or error whole.
     */
    public static String shown(String nodeId) {
        if (nodeId == null || nodeId.length() <= SHOWN_LENGTH) {
            return TextRules.printable(nodeId);
        }
        return TextRules.printable(nodeId.substring(0, SHOWN_LENGTH)) + "... (" + nodeId.length() + " characters)";
    }
}
