package dev.meshplane.snapshot;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who a proxy is, from its xDS {@code node.id}, in every form the App Mesh Envoy image's agent
 * (aws/amazon-ecs-service-connect-agent, {@code agent/envoy_bootstrap/envoy_bootstrap.go}: the id is
 * {@code APPMESH_RESOURCE_ARN}, else {@code APPMESH_RESOURCE_NAME}, else {@code APPMESH_VIRTUAL_NODE_NAME},
 * passed through as written) is given: {@code mesh/<mesh>/virtualNode/<name>},
 * {@code mesh/<mesh>/virtualGateway/<name>}, the App Mesh Kubernetes injector's
 * {@code mesh/<mesh>@<owner account>/...} (aws-app-mesh-controller-for-k8s, {@code pkg/inject/envoy.go}
 * {@code getAugmentedMeshName}: written for a mesh shared from another account), or the ARN of either
 * in any partition ({@code arn:aws:}, {@code arn:aws-cn:}, {@code arn:aws-us-gov:} ...). Proxyless gRPC
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

    private static final Pattern ID = Pattern.compile("^(?:arn:(aws(?:-[a-z]+)*):appmesh:([a-z0-9-]+):(\\d{12}):)?"
            + "mesh/([^/]+?)(?:@(\\d{12}))?/(virtualNode|virtualGateway)/([^/]+)$");
    // group numbers of ID
    private static final int PARTITION = 1;
    private static final int REGION = 2;
    private static final int ACCOUNT = 3;
    private static final int MESH = 4;
    private static final int OWNER = 5;
    private static final int TYPE = 6;
    private static final int NAME = 7;

    /** Parses a node id; empty when it names no virtual node or gateway. The owner it names is not checked here: see {@link #ownerProblem}. */
    public static Optional<ProxyId> parse(String nodeId, boolean proxyless) {
        Matcher m = match(nodeId);
        if (m == null) {
            return Optional.empty();
        }
        Kind kind = m.group(TYPE).equals("virtualGateway") ? Kind.GATEWAY : proxyless ? Kind.GRPC_CLIENT : Kind.SIDECAR;
        return Optional.of(new ProxyId(m.group(MESH), kind, m.group(NAME)));
    }

    /**
     * Why a node id names a mesh of another App Mesh than this server, or null when it does not: an
     * ARN's region or account, or the injector's {@code @<owner account>}, that is not this server's
     * region or mesh owner (the account its ARNs and {@code meshOwner} report), or an ARN's partition
     * that is not the one of this server's region ({@code arn:aws-cn:} for {@code us-east-1}). Such an id names
     * another owner's mesh of the same name, which this server does not hold; serving it this
     * server's mesh would hand one owner's configuration to another's proxies.
     *
     * @param nodeId  the node id, any form {@link #parse} accepts (others: null)
     * @param region  this server's region ({@code meshplane.appmesh.region})
     * @param account this server's mesh owner account ({@code meshplane.appmesh.account-id})
     */
    public static String ownerProblem(String nodeId, String region, String account) {
        Matcher m = match(nodeId);
        if (m == null) {
            return null;
        }
        if (m.group(OWNER) != null && !m.group(OWNER).equals(account)) {
            return "its mesh owner " + m.group(OWNER) + " is not this server's mesh owner " + account
                    + " (meshplane.appmesh.account-id)";
        }
        if (m.group(ACCOUNT) != null && !m.group(ACCOUNT).equals(account)) {
            return "its ARN's account " + m.group(ACCOUNT) + " is not this server's mesh owner " + account
                    + " (meshplane.appmesh.account-id)";
        }
        if (m.group(REGION) != null && !m.group(REGION).equals(region)) {
            return "its ARN's region " + m.group(REGION) + " is not this server's region " + region + " (meshplane.appmesh.region)";
        }
        if (m.group(PARTITION) != null && !m.group(PARTITION).equals(partition(region))) {
            return "its ARN's partition " + m.group(PARTITION) + " is not " + partition(region) + ", the partition of this"
                    + " server's region " + region + " (meshplane.appmesh.region)";
        }
        return null;
    }

    /**
     * The AWS partition a region belongs to, by the region name patterns of the AWS SDKs' partition metadata
     * (botocore's {@code endpoints.json} {@code regionRegex}): an account and region name one App Mesh only
     * within one partition.
     */
    static String partition(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        if (region.startsWith("us-isob-")) {
            return "aws-iso-b";
        }
        if (region.startsWith("us-isof-")) {
            return "aws-iso-f";
        }
        if (region.startsWith("eu-isoe-")) {
            return "aws-iso-e";
        }
        return region.startsWith("us-iso-") ? "aws-iso" : "aws";
    }

    private static Matcher match(String nodeId) {
        if (nodeId == null) {
            return null;
        }
        Matcher m = ID.matcher(nodeId);
        return m.matches() ? m : null;
    }

    /** The key proxies with identical configuration share: every replica of one virtual node of one kind. */
    public String groupKey() {
        String resource = kind == Kind.GATEWAY ? "virtualGateway" : "virtualNode";
        return kind.name().toLowerCase() + ":mesh/" + mesh + "/" + resource + "/" + name;
    }
}
