package dev.meshplane.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One registered instance of a registry service. */
@Entity
@Table(name = "registry_instance")
public class RegistryInstanceEntity {

    /** Namespace, service and instance id. */
    @Embeddable
    public record Key(
            @Column(name = "namespace_name") String namespace,
            @Column(name = "service_name") String service,
            @Column(name = "instance_id") String instanceId) implements Serializable {
    }

    @EmbeddedId
    private Key key;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    private Map<String, String> attributes;

    @Column(name = "health_status", nullable = false)
    private String healthStatus;

    @Column(name = "ttl_seconds")
    private Integer ttlSeconds;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "expiry_notified", nullable = false)
    private boolean expiryNotified;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected RegistryInstanceEntity() {
    }

    RegistryInstanceEntity(Key key, Instant now) {
        this.key = key;
        this.createdAt = now;
    }

    void update(Map<String, String> attributes, String healthStatus, Integer ttlSeconds, Instant now) {
        this.attributes = attributes;
        this.healthStatus = healthStatus;
        this.ttlSeconds = ttlSeconds;
        this.expiresAt = ttlSeconds == null ? null : now.plusSeconds(ttlSeconds);
        this.expiryNotified = false;
        this.updatedAt = now;
    }

    RegisteredInstance toRecord() {
        return new RegisteredInstance(key.namespace(), key.service(), key.instanceId(), Map.copyOf(attributes),
                healthStatus, ttlSeconds, expiresAt, createdAt, updatedAt);
    }
}
