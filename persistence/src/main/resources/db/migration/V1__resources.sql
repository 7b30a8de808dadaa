-- One row per mesh name ever created: the per-mesh revision counter and the lock every write
-- in that mesh takes first, so writes within a mesh are serialised and reference checks are exact.
CREATE TABLE mesh_revision (
    mesh_name text PRIMARY KEY,
    revision  bigint NOT NULL
);

-- Every App Mesh resource, of every kind. parent_name is the router of a route or the gateway
-- of a gateway route, '' otherwise. spec holds the validated spec exactly as the API returns it.
CREATE TABLE resource (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text        NOT NULL,
    mesh_name       text        NOT NULL,
    parent_name     text        NOT NULL,
    name            text        NOT NULL,
    uid             uuid        NOT NULL UNIQUE,
    version         bigint      NOT NULL,
    spec            jsonb       NOT NULL,
    client_token    text,
    request_hash    text,
    created_at      timestamptz NOT NULL,
    last_updated_at timestamptz NOT NULL,
    CONSTRAINT resource_name_unique UNIQUE (kind, mesh_name, parent_name, name)
);
CREATE INDEX resource_mesh_idx ON resource (mesh_name, kind, parent_name);

CREATE TABLE resource_tag (
    resource_id bigint NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    tag_key     text   NOT NULL,
    tag_value   text   NOT NULL,
    PRIMARY KEY (resource_id, tag_key)
);

-- What a resource's spec names and must keep existing: providers, weighted targets, gateway targets.
CREATE TABLE resource_reference (
    resource_id bigint NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    target_kind text   NOT NULL,
    target_name text   NOT NULL
);
CREATE INDEX resource_reference_target_idx ON resource_reference (target_kind, target_name);
