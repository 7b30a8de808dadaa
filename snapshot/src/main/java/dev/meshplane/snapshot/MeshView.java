package dev.meshplane.snapshot;

import dev.meshplane.api.security.MtlsMode;
import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.MeshSpec;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualGatewaySpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualRouterSpec;
import dev.meshplane.api.model.VirtualServiceSpec;
import dev.meshplane.api.security.AuthorizationPolicySpec;
import dev.meshplane.api.tracing.TracingSpec;
import java.util.List;
import java.util.Map;

/**
 * Everything translation needs to know about one mesh at one revision: its resources and the
 * registry instances its virtual nodes may select. Immutable; maps are keyed by resource name,
 * routes and gateway routes by their router or gateway first; {@code mtls} is the mesh-wide mTLS switch, and {@code authorizationPolicies} Meshplane's policies by name.
 * {@code tracing} is the mesh's tracing settings, null while tracing is off.
 */
public record MeshView(
        String mesh,
        long revision,
        MeshSpec spec,
        Map<String, VirtualServiceSpec> virtualServices,
        Map<String, VirtualNodeSpec> virtualNodes,
        Map<String, VirtualRouterSpec> virtualRouters,
        Map<String, Map<String, RouteSpec>> routes,
        Map<String, VirtualGatewaySpec> virtualGateways,
        Map<String, Map<String, GatewayRouteSpec>> gatewayRoutes,
        Map<ServiceKey, List<Instance>> instances,
        MtlsMode mtls,
        Map<String, AuthorizationPolicySpec> authorizationPolicies,
        TracingSpec tracing) {

    /** A view with tracing off. */
    public MeshView(String mesh, long revision, MeshSpec spec, Map<String, VirtualServiceSpec> virtualServices,
            Map<String, VirtualNodeSpec> virtualNodes, Map<String, VirtualRouterSpec> virtualRouters,
            Map<String, Map<String, RouteSpec>> routes, Map<String, VirtualGatewaySpec> virtualGateways,
            Map<String, Map<String, GatewayRouteSpec>> gatewayRoutes, Map<ServiceKey, List<Instance>> instances,
            MtlsMode mtls, Map<String, AuthorizationPolicySpec> authorizationPolicies) {
        this(mesh, revision, spec, virtualServices, virtualNodes, virtualRouters, routes, virtualGateways, gatewayRoutes,
                instances, mtls, authorizationPolicies, null);
    }

    /** A view with the mesh-wide mTLS switch as given and no authorization policies. */
    public MeshView(String mesh, long revision, MeshSpec spec, Map<String, VirtualServiceSpec> virtualServices,
            Map<String, VirtualNodeSpec> virtualNodes, Map<String, VirtualRouterSpec> virtualRouters,
            Map<String, Map<String, RouteSpec>> routes, Map<String, VirtualGatewaySpec> virtualGateways,
            Map<String, Map<String, GatewayRouteSpec>> gatewayRoutes, Map<ServiceKey, List<Instance>> instances,
            MtlsMode mtls) {
        this(mesh, revision, spec, virtualServices, virtualNodes, virtualRouters, routes, virtualGateways, gatewayRoutes,
                instances, mtls, Map.of());
    }

    /** A view with the mesh-wide mTLS switch off. */
    public MeshView(String mesh, long revision, MeshSpec spec, Map<String, VirtualServiceSpec> virtualServices,
            Map<String, VirtualNodeSpec> virtualNodes, Map<String, VirtualRouterSpec> virtualRouters,
            Map<String, Map<String, RouteSpec>> routes, Map<String, VirtualGatewaySpec> virtualGateways,
            Map<String, Map<String, GatewayRouteSpec>> gatewayRoutes, Map<ServiceKey, List<Instance>> instances) {
        this(mesh, revision, spec, virtualServices, virtualNodes, virtualRouters, routes, virtualGateways, gatewayRoutes,
                instances, MtlsMode.DISABLED, Map.of());
    }

    public MeshView {
        mtls = mtls == null ? MtlsMode.DISABLED : mtls;
        authorizationPolicies = authorizationPolicies == null ? Map.of() : Map.copyOf(authorizationPolicies);
        virtualServices = Map.copyOf(virtualServices);
        virtualNodes = Map.copyOf(virtualNodes);
        virtualRouters = Map.copyOf(virtualRouters);
        routes = Map.copyOf(routes);
        virtualGateways = Map.copyOf(virtualGateways);
        gatewayRoutes = Map.copyOf(gatewayRoutes);
        instances = Map.copyOf(instances);
    }

    /** A registry service: Cloud Map's namespace and service names. */
    public record ServiceKey(String namespace, String service) {
    }

    /** A registered instance that is currently allowed to receive traffic, with its attributes. */
    public record Instance(String id, Map<String, String> attributes) {

        public static final String IPV4 = "AWS_INSTANCE_IPV4";
        public static final String IPV6 = "AWS_INSTANCE_IPV6";
        public static final String PORT = "AWS_INSTANCE_PORT";

        public Instance {
            attributes = Map.copyOf(attributes);
        }
    }

    public Map<String, RouteSpec> routesOf(String router) {
        return routes.getOrDefault(router, Map.of());
    }

    public List<Instance> instancesOf(String namespace, String service) {
        return instances.getOrDefault(new ServiceKey(namespace, service), List.of());
    }
}
