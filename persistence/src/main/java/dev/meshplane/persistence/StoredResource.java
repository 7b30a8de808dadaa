package dev.meshplane.persistence;

import dev.meshplane.api.resource.ResourceId;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An immutable copy of a stored resource, as read inside the store's transaction. */
public record StoredResource(
        ResourceId id,
        UUID uid,
        long version,
        String specJson,
        Instant createdAt,
        Instant lastUpdatedAt,
        Map<String, String> tags) {

    static StoredResource of(ResourceEntity e) {
        return new StoredResource(e.resourceId(), e.getUid(), e.getVersion(), e.getSpec(), e.getCreatedAt(),
                e.getLastUpdatedAt(), Map.copyOf(e.getTags()));
    }
}
