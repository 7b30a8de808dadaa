package dev.meshplane.snapshot;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;

/**
 * Where a proxyless gRPC client's route goes when it has no target to send to (every target weighs 0, or is a virtual
 * node without a listener): Envoy answers such a route with a 503 {@code direct_response}, which gRPC clients refuse
 * together with the whole route configuration (grpc-java {@code XdsRouteConfigureResource.parseRoute}, grpc-js
 * {@code route-config-resource-type.ts}, C-core {@code xds_route_config.cc} take only {@code route} actions). A route
 * to this cluster is taken by every client, and only calls matching it fail, at once, with UNAVAILABLE:
 * <ul>
 * <li>it is an EDS cluster served with an empty {@code ClusterLoadAssignment}, which every client accepts and turns
 * into no priority, so its priority policy reports TRANSIENT_FAILURE with UNAVAILABLE ("priority policy has empty
 * priority list": C-core {@code priority.cc}, grpc-js {@code load-balancer-priority.ts}; grpc-java
 * {@code ClusterResolverLoadBalancer}: "No usable endpoint from cluster"), and calls that are not wait-for-ready fail
 * at once;</li>
 * <li>a cluster missing from CDS would not do: the client waits for its does-not-exist timer (15 s, gRFC A27)
 * before failing, and keeps calls waiting meanwhile.</li>
 * </ul>
 * One cluster serves every such route of every node: its content depends on no resource of any mesh, so it never
 * changes, and no proxy depends on anything new for it ({@link Dependencies}). Its name cannot collide with a cluster
 * made from a user's names, which all begin with {@code cds_egress_} or {@code cds_ingress_} ({@link Names}).
 */
final class UnavailableCluster {

    /** The cluster's (and its endpoints') name. */
    static final String NAME = "meshplane_unavailable";

    /** The EDS cluster, without {@code lrs_server}: no call ever reaches an endpoint to be reported. */
    static final Cluster CLUSTER = Cluster.newBuilder().setName(NAME).setType(Cluster.DiscoveryType.EDS)
            .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ClusterTranslator.ads()))
            .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN).build();

    /** Its endpoints: none. */
    static final ClusterLoadAssignment ENDPOINTS = ClusterLoadAssignment.newBuilder().setClusterName(NAME).build();

    private UnavailableCluster() {
    }
}
