package dev.meshplane.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Authorization policies, by mesh and name. A write locks the mesh's revision row like every other
 * write in the mesh (so it is serialised with them and cannot race a mesh deletion), bumps the
 * revision and notifies {@code mesh_changed}.
 */
@Service
@Transactional
public class PolicyStore {

    /** A stored policy: its spec as JSON text. */
    public record PolicyRow(String mesh, String name, String specJson, long version, Instant createdAt, Instant updatedAt) {
    }

    private final JdbcClient jdbc;

    public PolicyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static PolicyRow row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new PolicyRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant());
    }

    private static final String COLUMNS = "mesh_name, name, spec, version, created_at, updated_at";

    /** Creates the policy or replaces its spec; false when the mesh does not exist. */
    public Optional<PolicyRow> put(String mesh, String name, String specJson) {
        if (!MeshChanges.lock(jdbc, mesh)) {
            return Optional.empty();
        }
        jdbc.sql("insert into authorization_policy (" + COLUMNS + ") values (?, ?, ?, 1, now(), now())"
                        + " on conflict (mesh_name, name) do update set spec = excluded.spec,"
                        + " version = authorization_policy.version + 1, updated_at = now()")
                .params(mesh, name, specJson).update();
        MeshChanges.changed(jdbc, mesh);
        return get(mesh, name);
    }

    public Optional<PolicyRow> delete(String mesh, String name) {
        if (!MeshChanges.lock(jdbc, mesh)) {
            return Optional.empty();
        }
        Optional<PolicyRow> existing = get(mesh, name);
        existing.ifPresent(p -> {
            jdbc.sql("delete from authorization_policy where mesh_name = ? and name = ?").params(mesh, name).update();
            MeshChanges.changed(jdbc, mesh);
        });
        return existing;
    }

    @Transactional(readOnly = true)
    public Optional<PolicyRow> get(String mesh, String name) {
        return jdbc.sql("select " + COLUMNS + " from authorization_policy where mesh_name = ? and name = ?")
                .params(mesh, name).query(PolicyStore::row).optional();
    }

    @Transactional(readOnly = true)
    public List<PolicyRow> list(String mesh) {
        return jdbc.sql("select " + COLUMNS + " from authorization_policy where mesh_name = ? order by name")
                .param(mesh).query(PolicyStore::row).list();
    }
}
