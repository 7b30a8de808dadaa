package dev.meshplane.persistence;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface RegistryInstanceRepository extends JpaRepository<RegistryInstanceEntity, RegistryInstanceEntity.Key> {

    @Query("select i from RegistryInstanceEntity i where i.key.namespace = :namespace and i.key.service = :service"
            + " order by i.key.instanceId")
    List<RegistryInstanceEntity> findByService(String namespace, String service);

    @Query("select i from RegistryInstanceEntity i where concat(i.key.namespace, '/', i.key.service) in :services")
    List<RegistryInstanceEntity> findByServices(Collection<String> services);

    @Query(value = "select pg_notify('registry_changed', :payload || '|' || floor(extract(epoch from clock_timestamp()) * 1000)::bigint)",
            nativeQuery = true)
    Object notifyChanged(String payload);

    /** Marks instances whose TTL ran out and returns their services as namespace/service pairs. */
    @Modifying
    @Query(value = "update registry_instance set expiry_notified = true where not expiry_notified and expires_at <= :now"
            + " returning namespace_name || '/' || service_name", nativeQuery = true)
    List<String> markExpired(Instant now);

    @org.springframework.data.jpa.repository.Modifying
    @Query(value = "delete from registry_instance where expiry_notified and expires_at <= :before", nativeQuery = true)
    int deleteExpiredBefore(Instant before);
}
