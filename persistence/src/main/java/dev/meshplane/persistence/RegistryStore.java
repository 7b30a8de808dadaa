package dev.meshplane.persistence;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The instance registry. Every change notifies {@code registry_changed} with
 * {@code <namespace>/<service>} on commit, like resource changes notify {@code mesh_changed}.
 */
@Service
@Transactional
public class RegistryStore {

    /** The notification channel; the payload is {@code <namespace>/<service>}. */
    public static final String CHANNEL = "registry_changed";

    private final RegistryInstanceRepository instances;

    public RegistryStore(RegistryInstanceRepository instances) {
        this.instances = instances;
    }

    public RegisteredInstance register(String namespace, String service, String instanceId,
            Map<String, String> attributes, String healthStatus, Integer ttlSeconds) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        RegistryInstanceEntity.Key key = new RegistryInstanceEntity.Key(namespace, service, instanceId);
        RegistryInstanceEntity entity = instances.findById(key).orElseGet(() -> new RegistryInstanceEntity(key, now));
        entity.update(Map.copyOf(attributes), healthStatus, ttlSeconds, now);
        instances.saveAndFlush(entity);
        instances.notifyChanged(namespace + "/" + service);
        return entity.toRecord();
    }

    public Optional<RegisteredInstance> deregister(String namespace, String service, String instanceId) {
        RegistryInstanceEntity.Key key = new RegistryInstanceEntity.Key(namespace, service, instanceId);
        Optional<RegistryInstanceEntity> entity = instances.findById(key);
        entity.ifPresent(e -> {
            instances.delete(e);
            instances.flush();
            instances.notifyChanged(namespace + "/" + service);
        });
        return entity.map(RegistryInstanceEntity::toRecord);
    }

    @Transactional(readOnly = true)
    public Optional<RegisteredInstance> get(String namespace, String service, String instanceId) {
        return instances.findById(new RegistryInstanceEntity.Key(namespace, service, instanceId))
                .map(RegistryInstanceEntity::toRecord);
    }

    @Transactional(readOnly = true)
    public List<RegisteredInstance> list(String namespace, String service) {
        return instances.findByService(namespace, service).stream().map(RegistryInstanceEntity::toRecord).toList();
    }

    /** Every instance of the given {@code namespace/service} pairs, live or not. */
    @Transactional(readOnly = true)
    public List<RegisteredInstance> ofServices(Collection<String> services) {
        if (services.isEmpty()) {
            return List.of();
        }
        return instances.findByServices(services).stream().map(RegistryInstanceEntity::toRecord).toList();
    }

    /** Notifies the services whose instances' TTL ran out since the last call; returns them. */
    public List<String> expire(Instant now) {
        List<String> services = instances.markExpired(now).stream().distinct().toList();
        services.forEach(instances::notifyChanged);
        return services;
    }

    /** Deletes instances whose TTL ran out before the given time (already expired and notified); returns how many. */
    public int purgeExpired(Instant before) {
        return instances.deleteExpiredBefore(before);
    }
}
