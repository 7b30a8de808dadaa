package dev.meshplane.controlplane.registry;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.controlplane.auth.Auditor;
import dev.meshplane.persistence.RegisteredInstance;
import dev.meshplane.persistence.RegistryStore;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/**
 * The registry's writes, each with its audit row in the same transaction (like every other write):
 * {@code RegisterInstance} and {@code DeregisterInstance}, Cloud Map's operation names, targeting
 * {@code <namespace>/<service>/<instanceId>}. A deregistration of nothing changes nothing and
 * writes no row.
 */
@Service
class RegistryWrites {

    private final RegistryStore registry;
    private final Auditor auditor;

    RegistryWrites(RegistryStore registry, Auditor auditor) {
        this.registry = registry;
        this.auditor = auditor;
    }

    /** Registers or renews an instance (validated by the caller) and records who did. */
    RegisteredInstance register(String namespace, String service, String instanceId, Map<String, String> attributes,
            String health, Integer ttlSeconds) {
        return auditor.write(() -> registry.register(namespace, service, instanceId, attributes, health, ttlSeconds),
                i -> new Auditor.Entry("RegisterInstance", null, namespace + "/" + service + "/" + instanceId, null, null,
                        "attributes=" + new TreeMap<>(attributes) + " health=" + health
                                + (ttlSeconds == null ? "" : " ttlSeconds=" + ttlSeconds)));
    }

    /** Deregisters an instance and records who did; NotFoundException (and no row) when it is not registered. */
    RegisteredInstance deregister(String namespace, String service, String instanceId) {
        return auditor.write(() -> registry.deregister(namespace, service, instanceId).orElseThrow(() -> ApiException.notFound(
                        "instance '" + instanceId + "' of service '" + service + "' in namespace '" + namespace + "' is not registered")),
                i -> new Auditor.Entry("DeregisterInstance", null, namespace + "/" + service + "/" + instanceId, null, null,
                        "attributes=" + new TreeMap<>(i.attributes())));
    }
}
