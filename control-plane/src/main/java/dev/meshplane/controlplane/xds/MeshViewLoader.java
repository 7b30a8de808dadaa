package dev.meshplane.controlplane.xds;

import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.MeshSpec;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualGatewaySpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualRouterSpec;
import dev.meshplane.api.model.VirtualServiceSpec;
import dev.meshplane.persistence.RegisteredInstance;
import dev.meshplane.persistence.RegistryStore;
import dev.meshplane.persistence.ResourceStore;
import dev.meshplane.persistence.SpecRow;
import dev.meshplane.snapshot.MeshView;
import dev.meshplane.snapshot.MeshView.Instance;
import dev.meshplane.snapshot.MeshView.ServiceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Reads one mesh and the live registry instances its nodes select into an immutable view. */
@Component
public class MeshViewLoader {

    private final ResourceStore resources;
    private final RegistryStore registry;
    private final dev.meshplane.persistence.SecurityStore security;
    private final dev.meshplane.persistence.PolicyStore policies;
    private final dev.meshplane.persistence.TracingStore tracing;

    public MeshViewLoader(ResourceStore resources, RegistryStore registry, dev.meshplane.persistence.SecurityStore security,
            dev.meshplane.persistence.PolicyStore policies, dev.meshplane.persistence.TracingStore tracing) {
        this.resources = resources;
        this.registry = registry;
        this.security = security;
        this.policies = policies;
        this.tracing = tracing;
    }

    /**
     * Registry instances by {@code namespace/service}, as last read. The publisher forgets a service
     * when its change notification arrives (and everything at a resync), on the thread that loads.
     */
    private final Map<String, List<RegisteredInstance>> instanceCache = new java.util.concurrent.ConcurrentHashMap<>();

    /** A registry service changed: read its instances again at the next load. */
    public void forgetInstances(String service) {
        instanceCache.remove(service);
    }

    /** Read every registry service again at the next load (after missed notifications, or periodically). */
    public void forgetAllInstances() {
        instanceCache.clear();
    }

    /** Specs already parsed, by resource uid and version: a rebuild parses only what changed. */
    private final Map<String, Object> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    /** The names of every mesh in the store. */
    public List<String> meshNames() {
        return resources.meshNames();
    }

    /** The mesh's view, or empty when the mesh does not exist. */
    public Optional<MeshView> load(String mesh) {
        List<SpecRow> contents = resources.specs(mesh, row -> parsed.containsKey(key(mesh, row)));
        if (contents.stream().anyMatch(row -> row.specJson() == null && !parsed.containsKey(key(mesh, row)))) {
            contents = resources.specs(mesh); // something parsed was forgotten meanwhile (another reader pruned it)
        }
        MeshSpec spec = null;
        Map<String, VirtualServiceSpec> services = new HashMap<>();
        Map<String, VirtualNodeSpec> nodes = new HashMap<>();
        Map<String, VirtualRouterSpec> routers = new HashMap<>();
        Map<String, Map<String, RouteSpec>> routes = new HashMap<>();
        Map<String, VirtualGatewaySpec> gateways = new HashMap<>();
        Map<String, Map<String, GatewayRouteSpec>> gatewayRoutes = new HashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (SpecRow r : contents) {
            String name = r.name();
            seen.add(key(mesh, r));
            switch (r.kind()) {
                case MESH -> spec = read(mesh, r, MeshSpec.class);
                case VIRTUAL_SERVICE -> services.put(name, read(mesh, r, VirtualServiceSpec.class));
                case VIRTUAL_NODE -> nodes.put(name, read(mesh, r, VirtualNodeSpec.class));
                case VIRTUAL_ROUTER -> routers.put(name, read(mesh, r, VirtualRouterSpec.class));
                case ROUTE -> routes.computeIfAbsent(r.parent(), k -> new HashMap<>()).put(name, read(mesh, r, RouteSpec.class));
                case VIRTUAL_GATEWAY -> gateways.put(name, read(mesh, r, VirtualGatewaySpec.class));
                case GATEWAY_ROUTE -> gatewayRoutes.computeIfAbsent(r.parent(), k -> new HashMap<>())
                        .put(name, read(mesh, r, GatewayRouteSpec.class));
            }
        }
        parsed.keySet().removeIf(k -> k.startsWith(mesh + "/") && !k.startsWith(mesh + "/policy/") && !seen.contains(k));
        if (spec == null) {
            return Optional.empty();
        }
        Set<String> selected = registryServices(nodes);
        List<String> unknown = selected.stream().filter(service -> !instanceCache.containsKey(service)).toList();
        if (!unknown.isEmpty()) {
            Map<String, List<RegisteredInstance>> read = new HashMap<>();
            unknown.forEach(service -> read.put(service, new ArrayList<>()));
            for (RegisteredInstance instance : registry.ofServices(unknown)) {
                read.get(instance.namespace() + "/" + instance.service()).add(instance);
            }
            instanceCache.putAll(read);
        }
        Map<ServiceKey, List<Instance>> instances = new HashMap<>();
        Instant now = Instant.now();
        for (String service : selected) {
            for (RegisteredInstance instance : instanceCache.get(service)) {
                if (instance.live(now)) {
                    instances.computeIfAbsent(new ServiceKey(instance.namespace(), instance.service()), k -> new ArrayList<>())
                            .add(new Instance(instance.instanceId(), instance.attributes()));
                }
            }
        }
        dev.meshplane.api.security.MtlsMode mtls = security.mtls(mesh).map(dev.meshplane.api.security.MtlsMode::valueOf)
                .orElse(dev.meshplane.api.security.MtlsMode.DISABLED);
        Map<String, dev.meshplane.api.security.AuthorizationPolicySpec> authorization = new HashMap<>();
        List<dev.meshplane.persistence.PolicyStore.PolicyRow> policyRows = policies.list(mesh);
        for (var policy : policyRows) {
            authorization.put(policy.name(), (dev.meshplane.api.security.AuthorizationPolicySpec) parsed.computeIfAbsent(
                    mesh + "/policy/" + policy.name() + "/" + policy.version(), k -> AppMeshJson.mapper().readValue(
                            policy.specJson(), dev.meshplane.api.security.AuthorizationPolicySpec.class)));
        }
        java.util.Set<String> current = new java.util.HashSet<>();
        policyRows.forEach(p -> current.add(mesh + "/policy/" + p.name() + "/" + p.version()));
        parsed.keySet().removeIf(k -> k.startsWith(mesh + "/policy/") && !current.contains(k));
        // one small document, parsed at each load: a version number alone would not tell a re-created one apart
        dev.meshplane.api.tracing.TracingSpec tracingSpec = tracing.get(mesh).map(t -> AppMeshJson.mapper().readValue(
                t.specJson(), dev.meshplane.api.tracing.TracingSpec.class)).orElse(null);
        return Optional.of(new MeshView(mesh, resources.revision(mesh), spec, services, nodes, routers, routes, gateways,
                gatewayRoutes, instances, mtls, authorization, tracingSpec));
    }

    /** The registry services ({@code namespace/service}) the nodes of a mesh select. */
    public static Set<String> registryServices(Map<String, VirtualNodeSpec> nodes) {
        Set<String> services = new LinkedHashSet<>();
        for (VirtualNodeSpec node : nodes.values()) {
            if (node.serviceDiscovery() != null && node.serviceDiscovery().awsCloudMap() != null) {
                services.add(node.serviceDiscovery().awsCloudMap().namespaceName() + "/"
                        + node.serviceDiscovery().awsCloudMap().serviceName());
            }
        }
        return services;
    }

    private static String key(String mesh, SpecRow row) {
        return mesh + "/" + row.uid() + "/" + row.version();
    }

    @SuppressWarnings("unchecked")
    private <T> T read(String mesh, SpecRow row, Class<T> type) {
        return (T) parsed.computeIfAbsent(key(mesh, row), k -> AppMeshJson.mapper().readValue(row.specJson(), type));
    }
}
