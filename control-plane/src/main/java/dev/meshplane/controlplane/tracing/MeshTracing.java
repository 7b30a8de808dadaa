package dev.meshplane.controlplane.tracing;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.tracing.MeshTracingData;
import dev.meshplane.api.tracing.TracingSpec;
import dev.meshplane.api.validation.TracingRules;
import dev.meshplane.controlplane.auth.Auditor;
import dev.meshplane.persistence.TracingStore;
import org.springframework.stereotype.Service;

/**
 * Writes and reads a mesh's tracing settings: the spec check ({@link TracingRules}), the versioned store, and the
 * audit entry of each change.
 */
@Service
public class MeshTracing {

    private final TracingStore store;
    private final Auditor auditor;

    MeshTracing(TracingStore store, Auditor auditor) {
        this.store = store;
        this.auditor = auditor;
    }

    /**
     * Creates or replaces the mesh's settings, with their audit entry.
     *
     * @param expectedVersion the version the caller read ({@code If-Match}), or null for any
     * @throws ApiException 400 for settings {@link TracingRules#check} refuses, 404 when the mesh does not exist,
     *         412 when {@code expectedVersion} is stale
     */
    public MeshTracingData put(String meshName, TracingSpec spec, Long expectedVersion) {
        TracingRules.check(spec);
        String json = AppMeshJson.mapper().writeValueAsString(spec);
        return auditor.write(() -> store.put(meshName, json, expectedVersion), row -> new Auditor.Entry(
                        "PutMeshTracing", meshName, "mesh/" + meshName + "/tracing",
                        row.map(r -> r.version() - 1).filter(v -> v > 0).orElse(null),
                        row.map(TracingStore.TracingRow::version).orElse(null), "provider=" + spec.provider().wireValue()))
                .map(MeshTracing::view)
                .orElseThrow(() -> ApiException.notFound("mesh '" + meshName + "' does not exist"));
    }

    /**
     * Deletes the mesh's settings, which turns tracing off, with their audit entry.
     *
     * @throws ApiException 404 when the mesh has no tracing settings, 412 when {@code expectedVersion} is stale
     */
    public MeshTracingData delete(String meshName, Long expectedVersion) {
        return view(auditor.write(() -> store.delete(meshName, expectedVersion).orElseThrow(() -> notSet(meshName)),
                row -> new Auditor.Entry("DeleteMeshTracing", meshName, "mesh/" + meshName + "/tracing", row.version(),
                        null, null)));
    }

    /** The mesh's settings; 404 when it has none (tracing is off). */
    public MeshTracingData get(String meshName) {
        return store.get(meshName).map(MeshTracing::view).orElseThrow(() -> notSet(meshName));
    }

    private static ApiException notSet(String mesh) {
        return ApiException.notFound("mesh '" + mesh + "' has no tracing settings: tracing is off");
    }

    private static MeshTracingData view(TracingStore.TracingRow row) {
        return new MeshTracingData(row.mesh(), AppMeshJson.mapper().readValue(row.specJson(), TracingSpec.class),
                row.version(), row.createdAt(), row.updatedAt());
    }
}
