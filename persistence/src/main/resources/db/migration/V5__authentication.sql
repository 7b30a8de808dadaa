-- Credentials Meshplane issues. Bearer tokens are stored as SHA-256 hashes only. An access key's
-- secret is needed to check SigV4 signatures, so it is stored encrypted with the key-encryption key.
CREATE TABLE credential (
    id               text        PRIMARY KEY,          -- token id, or the access key id
    kind             text        NOT NULL CHECK (kind IN ('API_TOKEN', 'PROXY_TOKEN', 'ACCESS_KEY')),
    name             text        NOT NULL,
    token_hash       bytea,                            -- API_TOKEN, PROXY_TOKEN
    secret_encrypted bytea,                            -- ACCESS_KEY
    role             text        CHECK (role IN ('admin', 'editor', 'viewer')),
    meshes           text        NOT NULL,             -- comma-separated mesh names, or '*'
    proxy_node       text,                             -- PROXY_TOKEN: mesh/<mesh>/virtualNode/<name> or virtualGateway
    created_by       text        NOT NULL,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz,
    revoked_at       timestamptz
);
CREATE UNIQUE INDEX credential_by_hash ON credential (token_hash) WHERE token_hash IS NOT NULL;

-- Who changed what, when: every write, and every credential issued or revoked.
CREATE TABLE audit_log (
    id             bigserial   PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor          text        NOT NULL,
    action         text        NOT NULL,
    mesh_name      text,
    target         text        NOT NULL,
    version_before bigint,
    version_after  bigint,
    detail         text
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_mesh ON audit_log (mesh_name, at);
