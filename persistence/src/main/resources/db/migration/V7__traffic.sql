-- Load reported by proxies over LRS, summed per caller, callee listener and time bucket. Every
-- replica adds its own reports into the same rows (INSERT ... ON CONFLICT DO UPDATE adds), so a
-- query on any replica sees what all of them received. Rows older than the retention are deleted.
-- in_flight_millis is requests in progress times the milliseconds they were reported over: divided
-- by a window's length it gives the average number of requests in flight.
CREATE TABLE traffic_bucket (
    mesh_name        text        NOT NULL,
    bucket_start     timestamptz NOT NULL,
    source_kind      text        NOT NULL CHECK (source_kind IN ('virtualNode', 'virtualGateway')),
    source_name      text        NOT NULL,
    destination_node text        NOT NULL,
    destination_port integer     NOT NULL CHECK (destination_port BETWEEN 1 AND 65535),
    issued           bigint      NOT NULL CHECK (issued >= 0),
    successful       bigint      NOT NULL CHECK (successful >= 0),
    errors           bigint      NOT NULL CHECK (errors >= 0),
    in_flight_millis bigint      NOT NULL CHECK (in_flight_millis >= 0),
    PRIMARY KEY (mesh_name, bucket_start, source_kind, source_name, destination_node, destination_port)
);
CREATE INDEX traffic_bucket_age ON traffic_bucket (bucket_start);
