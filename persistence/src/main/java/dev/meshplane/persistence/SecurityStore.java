package dev.meshplane.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The meshes' certificate authorities (private keys stored encrypted, by the caller), the server's
 * own CA, and the mesh-wide mTLS switch. Every change to a mesh's CA or switch notifies
 * {@code mesh_changed}, so every replica reissues certificates or rebuilds its proxies.
 */
@Service
@Transactional
public class SecurityStore {

    /** One CA of a mesh, as stored. */
    public record CaRow(long id, String mesh, String state, String certificatePem, byte[] privateKeyEncrypted,
            boolean imported, Instant notAfter, Instant createdAt) {
    }

    /**
     * Whose CA a row is: a mesh's, or Meshplane's own (it certifies the server's ports). The two never
     * share rows, so no mesh, whatever its name, reaches the server's CA.
     */
    public enum CaScope { MESH, SERVER }

    private final JdbcClient jdbc;

    public SecurityStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static final String COLUMNS = "id, mesh_name, state, certificate_pem, private_key_encrypted, imported, not_after, created_at";

    private static CaRow row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new CaRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5),
                rs.getBoolean(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant());
    }

    /** The mesh's active and previous CAs, active first. */
    @Transactional(readOnly = true)
    public List<CaRow> trusted(String mesh) {
        return trusted(CaScope.MESH, mesh);
    }

    /** The active and previous CAs of a mesh (scope MESH) or of the server (SERVER, under its key), active first. */
    @Transactional(readOnly = true)
    public List<CaRow> trusted(CaScope scope, String owner) {
        return jdbc.sql("select " + COLUMNS + " from mesh_ca where scope = ? and mesh_name = ? and state <> 'RETIRED'"
                        + " order by case state when 'ACTIVE' then 0 else 1 end, id desc")
                .params(scope.name(), owner).query(SecurityStore::row).list();
    }

    @Transactional(readOnly = true)
    public List<CaRow> all(String mesh) {
        return jdbc.sql("select " + COLUMNS + " from mesh_ca where scope = 'MESH' and mesh_name = ? order by id").param(mesh)
                .query(SecurityStore::row).list();
    }

    /**
     * Stores a first CA for a mesh or for the server unless another replica did meanwhile; returns
     * the active one either way. A mesh's replicas are notified; the server's CA is read once per replica.
     */
    public CaRow createIfAbsent(CaScope scope, String owner, String certificatePem, byte[] encryptedKey, Instant notAfter) {
        jdbc.sql("insert into mesh_ca (scope, mesh_name, state, certificate_pem, private_key_encrypted, imported, not_after)"
                        + " values (?, ?, 'ACTIVE', ?, ?, false, ?) on conflict (scope, mesh_name) where state = 'ACTIVE' do nothing")
                .params(scope.name(), owner, certificatePem, encryptedKey, java.sql.Timestamp.from(notAfter)).update();
        if (scope == CaScope.MESH) {
            MeshChanges.notifyChanged(jdbc, owner);
        }
        return active(scope, owner).orElseThrow();
    }

    private Optional<CaRow> active(CaScope scope, String owner) {
        return jdbc.sql("select " + COLUMNS + " from mesh_ca where scope = ? and mesh_name = ? and state = 'ACTIVE'")
                .params(scope.name(), owner).query(SecurityStore::row).optional();
    }

    /**
     * Makes a new CA the active one: the active becomes PREVIOUS (still trusted, so certificates it
     * signed keep working while proxies receive new ones); an older PREVIOUS is retired.
     */
    public CaRow rotate(String mesh, String certificatePem, byte[] encryptedKey, Instant notAfter, boolean imported) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('mesh_ca:' || ?))").param(mesh).query().singleRow();
        jdbc.sql("update mesh_ca set state = 'RETIRED' where scope = 'MESH' and mesh_name = ? and state = 'PREVIOUS'")
                .param(mesh).update();
        jdbc.sql("update mesh_ca set state = 'PREVIOUS' where scope = 'MESH' and mesh_name = ? and state = 'ACTIVE'")
                .param(mesh).update();
        jdbc.sql("insert into mesh_ca (mesh_name, state, certificate_pem, private_key_encrypted, imported, not_after)"
                        + " values (?, 'ACTIVE', ?, ?, ?, ?)")
                .params(mesh, certificatePem, encryptedKey, imported, java.sql.Timestamp.from(notAfter)).update();
        MeshChanges.notifyChanged(jdbc, mesh);
        return active(CaScope.MESH, mesh).orElseThrow();
    }

    /** Ends a rotation's overlap: the previous CA is no longer trusted. Returns how many were retired. */
    public int retirePrevious(String mesh) {
        int retired = jdbc.sql("update mesh_ca set state = 'RETIRED' where scope = 'MESH' and mesh_name = ? and state = 'PREVIOUS'")
                .param(mesh).update();
        MeshChanges.notifyChanged(jdbc, mesh);
        return retired;
    }

    @Transactional(readOnly = true)
    public Optional<String> mtls(String mesh) {
        return jdbc.sql("select mode from mesh_mtls where mesh_name = ?").param(mesh).query(String.class).optional();
    }

    public void setMtls(String mesh, String mode) {
        jdbc.sql("insert into mesh_mtls (mesh_name, mode, updated_at) values (?, ?, now())"
                        + " on conflict (mesh_name) do update set mode = excluded.mode, updated_at = excluded.updated_at")
                .params(mesh, mode).update();
        MeshChanges.notifyChanged(jdbc, mesh);
    }
}
