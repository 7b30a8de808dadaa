package dev.meshplane.persistence;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The mesh revision and change notice that the JDBC stores of a mesh's settings (policies, tracing, mTLS) share;
 * the JPA side ({@link MeshRevisionRepository}) does the same for App Mesh resources. Call within the write's
 * transaction: the row lock serialises writers of one mesh, and PostgreSQL delivers the notice only on commit.
 */
final class MeshChanges {

    private MeshChanges() {
    }

    /** Locks the mesh's revision row ({@code for update}); false when the mesh does not exist. */
    static boolean lock(JdbcClient jdbc, String mesh) {
        return jdbc.sql("select revision from mesh_revision where mesh_name = ? for update").param(mesh)
                .query(Long.class).optional().isPresent();
    }

    /** Bumps the mesh's revision by one and sends the change notice. */
    static void changed(JdbcClient jdbc, String mesh) {
        jdbc.sql("update mesh_revision set revision = revision + 1 where mesh_name = ?").param(mesh).update();
        notifyChanged(jdbc, mesh);
    }

    /** Sends {@code mesh_changed} with {@code <mesh>|<epoch millis>}, which every replica's listener reads. */
    static void notifyChanged(JdbcClient jdbc, String mesh) {
        jdbc.sql("select pg_notify('mesh_changed', ? || '|' || floor(extract(epoch from clock_timestamp()) * 1000)::bigint)")
                .param(mesh).query().singleRow();
    }
}
