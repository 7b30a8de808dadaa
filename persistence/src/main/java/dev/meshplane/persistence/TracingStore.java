package dev.meshplane.persistence;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.error.ErrorCode;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each mesh's tracing settings, one versioned document per mesh. A write locks the mesh's revision row like every
 * other write in the mesh (so it is serialised with them and cannot race a mesh deletion), checks the version the
 * caller read ({@code If-Match}), bumps the revision and notifies {@code mesh_changed}.
 */
@Service
@Transactional
public class TracingStore {

    /** Stored settings: the spec as JSON text. */
    public record TracingRow(String mesh, String specJson, long version, Instant createdAt, Instant updatedAt) {
    }

    private static final String COLUMNS = "mesh_name, spec, version, created_at, updated_at";

    private final JdbcClient jdbc;

    public TracingStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Creates or replaces the mesh's settings; empty when the mesh does not exist.
     *
     * @param expectedVersion the version the caller read, or null for any
     * @throws ApiException 412 when {@code expectedVersion} is not the current version (or there are no settings yet)
     */
    public Optional<TracingRow> put(String mesh, String specJson, Long expectedVersion) {
        if (!MeshChanges.lock(jdbc, mesh)) {
            return Optional.empty();
        }
        checkVersion(mesh, get(mesh), expectedVersion);
        jdbc.sql("insert into mesh_tracing (" + COLUMNS + ") values (?, ?, 1, now(), now())"
                        + " on conflict (mesh_name) do update set spec = excluded.spec,"
                        + " version = mesh_tracing.version + 1, updated_at = now()")
                .params(mesh, specJson).update();
        MeshChanges.changed(jdbc, mesh);
        return get(mesh);
    }

    /**
     * Deletes the mesh's settings (tracing off); empty when the mesh or its settings do not exist.
     *
     * @throws ApiException 412 when {@code expectedVersion} is not the current version
     */
    public Optional<TracingRow> delete(String mesh, Long expectedVersion) {
        if (!MeshChanges.lock(jdbc, mesh)) {
            return Optional.empty();
        }
        Optional<TracingRow> existing = get(mesh);
        if (existing.isPresent()) {
            checkVersion(mesh, existing, expectedVersion);
            jdbc.sql("delete from mesh_tracing where mesh_name = ?").param(mesh).update();
            MeshChanges.changed(jdbc, mesh);
        }
        return existing;
    }

    /** The mesh's settings; empty while its tracing is off (or the mesh does not exist). */
    @Transactional(readOnly = true)
    public Optional<TracingRow> get(String mesh) {
        return jdbc.sql("select " + COLUMNS + " from mesh_tracing where mesh_name = ?").param(mesh)
                .query((rs, n) -> new TracingRow(rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant()))
                .optional();
    }

    private static void checkVersion(String mesh, Optional<TracingRow> current, Long expectedVersion) {
        if (expectedVersion != null && current.map(TracingRow::version).orElse(0L) != expectedVersion.longValue()) {
            throw new ApiException(ErrorCode.PRECONDITION_FAILED, "the tracing settings of mesh '" + mesh + "' are "
                    + current.map(r -> "at version " + r.version()).orElse("not set") + ", not at version "
                    + expectedVersion + " as If-Match requires");
        }
    }
}
