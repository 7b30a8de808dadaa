package dev.meshplane.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Credentials (API tokens, proxy tokens, access keys) and the audit log. */
@Service
@Transactional
public class AuthStore {

    /** A credential as stored; secrets only as a hash or encrypted. */
    public record Credential(String id, String kind, String name, byte[] tokenHash, byte[] secretEncrypted, String role,
            String meshes, String proxyNode, String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt) {

        public boolean usable(Instant now) {
            return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
        }
    }

    /** One audit entry. */
    public record AuditEntry(long id, Instant at, String actor, String action, String mesh, String target,
            Long versionBefore, Long versionAfter, String detail) {
    }

    private static final String COLUMNS = "id, kind, name, token_hash, secret_encrypted, role, meshes, proxy_node,"
            + " created_by, created_at, expires_at, revoked_at";

    private final JdbcClient jdbc;

    public AuthStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static Credential credential(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Credential(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getBytes(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getTimestamp(10).toInstant(),
                instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    public void insert(Credential c) {
        jdbc.sql("insert into credential (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(c.id(), c.kind(), c.name(), c.tokenHash(), c.secretEncrypted(), c.role(), c.meshes(), c.proxyNode(),
                        c.createdBy(), timestamp(c.createdAt()), timestamp(c.expiresAt()), timestamp(c.revokedAt()))
                .update();
    }

    @Transactional(readOnly = true)
    public Optional<Credential> byHash(byte[] hash) {
        return jdbc.sql("select " + COLUMNS + " from credential where token_hash = ?").param(hash)
                .query(AuthStore::credential).optional();
    }

    @Transactional(readOnly = true)
    public Optional<Credential> byId(String id) {
        return jdbc.sql("select " + COLUMNS + " from credential where id = ?").param(id).query(AuthStore::credential).optional();
    }

    @Transactional(readOnly = true)
    public List<Credential> list(String kind) {
        return jdbc.sql("select " + COLUMNS + " from credential where kind = ? order by created_at").param(kind)
                .query(AuthStore::credential).list();
    }

    /** Of these credential ids, those that may no longer be used (revoked, expired or gone), in one query. */
    @Transactional(readOnly = true)
    public java.util.Set<String> unusable(java.util.Collection<String> ids, Instant now) {
        if (ids.isEmpty()) {
            return java.util.Set.of();
        }
        java.util.Set<String> usable = new java.util.HashSet<>(jdbc.sql("select id from credential where id in (:ids)"
                        + " and revoked_at is null and (expires_at is null or expires_at > :now)")
                .param("ids", ids).param("now", Timestamp.from(now)).query(String.class).list());
        java.util.Set<String> gone = new java.util.HashSet<>(ids);
        gone.removeAll(usable);
        return gone;
    }

    /** Revokes a credential; false when it does not exist or was revoked already. */
    public boolean revoke(String id, Instant at) {
        return jdbc.sql("update credential set revoked_at = ? where id = ? and revoked_at is null")
                .params(Timestamp.from(at), id).update() == 1;
    }

    /**
     * Retires, in the transaction that deletes it, what was bound by name to a resource that is going
     * away, so that a resource created later under the same name inherits none of it: the proxy
     * credentials (proxy tokens, proxy access keys) of a deleted virtual node or gateway; for a deleted
     * mesh, those of every node and gateway in it, the API credentials scoped to that mesh alone, and
     * the mesh's name taken out of credentials that name it among others.
     *
     * @param mesh  the mesh of the deleted resource
     * @param proxy the deleted node or gateway's id ({@code mesh/<mesh>/virtualNode/<name>}), or null when the mesh itself goes
     * @return how many credentials were revoked or narrowed
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int retireBoundTo(String mesh, String proxy, Instant at) {
        Timestamp now = Timestamp.from(at);
        if (proxy != null) {
            return jdbc.sql("update credential set revoked_at = ? where proxy_node = ? and revoked_at is null")
                    .params(now, proxy).update();
        }
        String prefix = "mesh/" + mesh + "/";
        int revoked = jdbc.sql("update credential set revoked_at = ? where revoked_at is null and"
                + " (left(proxy_node, length(?)) = ? or (proxy_node is null and meshes = ?))")
                .params(now, prefix, prefix, mesh).update();
        int narrowed = jdbc.sql("update credential set meshes = array_to_string(array_remove(string_to_array(meshes, ','), ?),"
                + " ',') where revoked_at is null and proxy_node is null and ? = any(string_to_array(meshes, ',')) and meshes <> ?")
                .params(mesh, mesh, mesh).update();
        return revoked + narrowed;
    }

    /** Records an audit entry, in the transaction of the write it describes. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void audit(String actor, String action, String mesh, String target, Long versionBefore, Long versionAfter,
            String detail) {
        jdbc.sql("insert into audit_log (actor, action, mesh_name, target, version_before, version_after, detail)"
                        + " values (?, ?, ?, ?, ?, ?, ?)")
                .params(actor, action, mesh, target, versionBefore, versionAfter, detail).update();
    }

    /** Records an audit entry about something refused: nothing changed, so it stands alone. */
    @Transactional
    public void auditRefusal(String actor, String action, String mesh, String target, String detail) {
        audit(actor, action, mesh, target, null, null, detail);
    }

    /** Audit entries, newest first, filtered by whichever of the criteria are given. */
    @Transactional(readOnly = true)
    public List<AuditEntry> audit(String actor, String mesh, String action, Instant since, Instant until, int limit) {
        StringBuilder sql = new StringBuilder("select id, at, actor, action, mesh_name, target, version_before,"
                + " version_after, detail from audit_log where true");
        List<Object> params = new ArrayList<>();
        if (actor != null) {
            sql.append(" and actor = ?");
            params.add(actor);
        }
        if (mesh != null) {
            sql.append(" and mesh_name = ?");
            params.add(mesh);
        }
        if (action != null) {
            sql.append(" and action = ?");
            params.add(action);
        }
        if (since != null) {
            sql.append(" and at >= ?");
            params.add(Timestamp.from(since));
        }
        if (until != null) {
            sql.append(" and at < ?");
            params.add(Timestamp.from(until));
        }
        sql.append(" order by id desc limit ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query((rs, n) -> new AuditEntry(rs.getLong(1),
                rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                (Long) rs.getObject(7), (Long) rs.getObject(8), rs.getString(9))).list();
    }
}
