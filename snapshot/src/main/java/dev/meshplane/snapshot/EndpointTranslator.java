package dev.meshplane.snapshot;

import com.google.protobuf.UInt32Value;
import dev.meshplane.api.model.AwsCloudMapInstanceAttribute;
import dev.meshplane.api.model.AwsCloudMapServiceDiscovery;
import dev.meshplane.api.model.IpPreference;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.snapshot.MeshView.Instance;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.Comparator;
import java.util.List;

/**
 * Endpoints of a virtual node. With Cloud Map discovery: the registry instances of its namespace
 * and service whose attributes carry every listed key and value, at AWS_INSTANCE_PORT or else the
 * listener's port, as IP literals (what gRPC clients need), in one locality with an explicit weight; an address
 * and port registered by several instances once, under the first instance id.
 */
final class EndpointTranslator {

    private EndpointTranslator() {
    }

    static ClusterLoadAssignment registry(MeshView view, String cluster, VirtualNodeSpec node, int listenerPort,
            Integer healthCheckPort) {
        LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
                .setLocality(Locality.getDefaultInstance())
                .setLoadBalancingWeight(UInt32Value.of(1));
        AwsCloudMapServiceDiscovery cloudMap = node == null || node.serviceDiscovery() == null
                ? null : node.serviceDiscovery().awsCloudMap();
        if (cloudMap != null) {
            IpPreference preference = cloudMap.ipPreference() != null ? cloudMap.ipPreference()
                    : ClusterTranslator.meshIpPreference(view);
            List<Instance> selected = view.instancesOf(cloudMap.namespaceName(), cloudMap.serviceName()).stream()
                    .filter(instance -> matches(instance, cloudMap.attributes()))
                    .sorted(Comparator.comparing(Instance::id))
                    .toList();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Instance instance : selected) {
                String ip = address(instance, preference);
                // one endpoint per address as written: grpc-js refuses an assignment naming one twice (endpoint-resource-
                // type.ts, addressesEqual: "address is a duplicate of another address in the same endpoint")
                if (ip == null || !seen.add(ip + " " + port(instance, listenerPort))) {
                    continue;
                }
                Endpoint.Builder endpoint = Endpoint.newBuilder().setAddress(socket(ip, port(instance, listenerPort)));
                if (healthCheckPort != null) {
                    endpoint.setHealthCheckConfig(Endpoint.HealthCheckConfig.newBuilder().setPortValue(healthCheckPort));
                }
                locality.addLbEndpoints(LbEndpoint.newBuilder().setHealthStatus(HealthStatus.HEALTHY).setEndpoint(endpoint));
            }
        }
        ClusterLoadAssignment.Builder assignment = ClusterLoadAssignment.newBuilder().setClusterName(cluster);
        if (locality.getLbEndpointsCount() > 0) {
            assignment.addEndpoints(locality);
        }
        return assignment.build();
    }

    /** The one endpoint of a DNS cluster: the host name and port, probed on the health check's port when it has one. */
    static ClusterLoadAssignment dns(String cluster, String hostname, int port, Integer healthCheckPort) {
        Endpoint.Builder endpoint = Endpoint.newBuilder().setAddress(socket(hostname, port));
        if (healthCheckPort != null) {
            endpoint.setHealthCheckConfig(Endpoint.HealthCheckConfig.newBuilder().setPortValue(healthCheckPort));
        }
        return ClusterLoadAssignment.newBuilder().setClusterName(cluster)
                .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(endpoint)))
                .build();
    }

    static Address socket(String host, int port) {
        return Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
                .build();
    }

    private static boolean matches(Instance instance, List<AwsCloudMapInstanceAttribute> attributes) {
        if (attributes == null) {
            return true;
        }
        return attributes.stream().allMatch(a -> a.value().equals(instance.attributes().get(a.key())));
    }

    private static String address(Instance instance, IpPreference preference) {
        String v4 = instance.attributes().get(Instance.IPV4);
        String v6 = instance.attributes().get(Instance.IPV6);
        if (preference == null) {
            return v4 != null ? v4 : v6;
        }
        return switch (preference) {
            case IPV4_ONLY -> v4;
            case IPV6_ONLY -> v6;
            case IPV6_PREFERRED -> v6 != null ? v6 : v4;
            case IPV4_PREFERRED -> v4 != null ? v4 : v6;
        };
    }

    private static int port(Instance instance, int listenerPort) {
        String port = instance.attributes().get(Instance.PORT);
        if (port != null) {
            try {
                return Integer.parseInt(port);
            } catch (NumberFormatException e) {
                return listenerPort;
            }
        }
        return listenerPort;
    }
}
