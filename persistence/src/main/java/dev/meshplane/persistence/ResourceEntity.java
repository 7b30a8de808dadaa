package dev.meshplane.persistence;

import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.resource.ResourceKind;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One stored App Mesh resource of any kind. */
@Entity
@Table(name = "resource")
public class ResourceEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ResourceKind kind;

    @Column(name = "mesh_name", nullable = false)
    private String meshName;

    @Column(name = "parent_name", nullable = false)
    private String parentName;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private UUID uid;

    @Column(nullable = false)
    private long version;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    private String spec;

    @Column(name = "client_token")
    private String clientToken;

    @Column(name = "request_hash")
    private String requestHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "last_updated_at", nullable = false)
    private Instant lastUpdatedAt;

    @ElementCollection
    @CollectionTable(name = "resource_tag", joinColumns = @JoinColumn(name = "resource_id"))
    @MapKeyColumn(name = "tag_key")
    @Column(name = "tag_value", nullable = false)
    private Map<String, String> tags = new HashMap<>();

    @ElementCollection
    @CollectionTable(name = "resource_reference", joinColumns = @JoinColumn(name = "resource_id"))
    private Set<ReferenceTarget> references = new HashSet<>();

    protected ResourceEntity() {
    }

    ResourceEntity(ResourceId id, UUID uid, String spec, Instant now) {
        this.kind = id.kind();
        this.meshName = id.mesh();
        this.parentName = id.parent();
        this.name = id.name();
        this.uid = uid;
        this.version = 1;
        this.spec = spec;
        this.createdAt = now;
        this.lastUpdatedAt = now;
    }

    public ResourceId resourceId() {
        return new ResourceId(kind, meshName, parentName, name);
    }

    public Long getId() {
        return id;
    }

    public UUID getUid() {
        return uid;
    }

    public long getVersion() {
        return version;
    }

    public String getSpec() {
        return spec;
    }

    public String getClientToken() {
        return clientToken;
    }

    public String getRequestHash() {
        return requestHash;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getLastUpdatedAt() {
        return lastUpdatedAt;
    }

    public Map<String, String> getTags() {
        return tags;
    }

    Set<ReferenceTarget> getReferences() {
        return references;
    }

    void recordRequest(String clientToken, String requestHash) {
        this.clientToken = clientToken;
        this.requestHash = requestHash;
    }

    void updateSpec(String spec, Instant now) {
        this.spec = spec;
        this.version++;
        this.lastUpdatedAt = now;
    }
}
