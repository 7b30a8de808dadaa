-- Meshplane's authorization policies: per mesh, by name, the spec as JSON.
CREATE TABLE authorization_policy (
    mesh_name  text        NOT NULL,
    name       text        NOT NULL,
    spec       text        NOT NULL,
    version    bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (mesh_name, name)
);
