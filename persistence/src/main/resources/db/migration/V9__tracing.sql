-- A mesh's tracing settings (/v1/meshes/{mesh}/tracing): one versioned document per mesh, the spec as JSON.
CREATE TABLE mesh_tracing (
    mesh_name  text        PRIMARY KEY,
    spec       text        NOT NULL,
    version    bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
