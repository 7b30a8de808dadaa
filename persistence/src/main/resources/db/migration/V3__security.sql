-- The built-in CA of each mesh. The private key is encrypted (AES-GCM) with a key from configuration,
-- never stored in the clear. One ACTIVE CA per mesh signs new certificates; PREVIOUS ones stay in the
-- trust bundle while a rotation overlaps; RETIRED ones are kept for the record.
CREATE TABLE mesh_ca (
    id                    bigserial   PRIMARY KEY,
    mesh_name             text        NOT NULL,
    state                 text        NOT NULL CHECK (state IN ('ACTIVE', 'PREVIOUS', 'RETIRED')),
    certificate_pem       text        NOT NULL,
    private_key_encrypted bytea       NOT NULL,
    imported              boolean     NOT NULL,
    not_after             timestamptz NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX mesh_ca_one_active ON mesh_ca (mesh_name) WHERE state = 'ACTIVE';
CREATE INDEX mesh_ca_by_mesh ON mesh_ca (mesh_name, state);

-- Meshplane's mesh-wide mTLS switch (absent: DISABLED).
CREATE TABLE mesh_mtls (
    mesh_name  text        PRIMARY KEY,
    mode       text        NOT NULL CHECK (mode IN ('STRICT', 'PERMISSIVE', 'DISABLED')),
    updated_at timestamptz NOT NULL
);
