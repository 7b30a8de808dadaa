-- The instance registry (Meshplane's Cloud Map): instances of a service in a namespace, with their
-- attributes. An instance with a TTL that is not renewed in time stops receiving traffic.
CREATE TABLE registry_instance (
    namespace_name text        NOT NULL,
    service_name   text        NOT NULL,
    instance_id    text        NOT NULL,
    attributes     jsonb       NOT NULL,
    health_status  text        NOT NULL,
    ttl_seconds    integer,
    expires_at     timestamptz,
    expiry_notified boolean    NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (namespace_name, service_name, instance_id)
);
CREATE INDEX registry_instance_expiry_idx ON registry_instance (expires_at) WHERE NOT expiry_notified;
