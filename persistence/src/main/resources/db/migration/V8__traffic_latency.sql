-- What Envoy's metrics service sink reports per caller, callee listener and time bucket, beside the
-- load reports of traffic_bucket: responses per status class (cluster.<name>.upstream_rq_<n>xx) and
-- the upstream request time histogram (cluster.<name>.upstream_rq_time) as sample counts per bin.
-- Every replica adds into the same rows (INSERT ... ON CONFLICT DO UPDATE adds), so bins and counts
-- merge exactly across replicas and windows; quantiles are computed from the merged bins.
CREATE TABLE traffic_response_bucket (
    mesh_name        text        NOT NULL,
    bucket_start     timestamptz NOT NULL,
    source_kind      text        NOT NULL CHECK (source_kind IN ('virtualNode', 'virtualGateway')),
    source_name      text        NOT NULL,
    destination_node text        NOT NULL,
    destination_port integer     NOT NULL CHECK (destination_port BETWEEN 1 AND 65535),
    responses_1xx    bigint      NOT NULL CHECK (responses_1xx >= 0),
    responses_2xx    bigint      NOT NULL CHECK (responses_2xx >= 0),
    responses_3xx    bigint      NOT NULL CHECK (responses_3xx >= 0),
    responses_4xx    bigint      NOT NULL CHECK (responses_4xx >= 0),
    responses_5xx    bigint      NOT NULL CHECK (responses_5xx >= 0),
    PRIMARY KEY (mesh_name, bucket_start, source_kind, source_name, destination_node, destination_port)
);
CREATE INDEX traffic_response_bucket_age ON traffic_response_bucket (bucket_start);

-- One row per histogram bin: samples above the previous bound up to upper_bound_millis ('Infinity'
-- for those above Envoy's last bound).
CREATE TABLE traffic_latency_bucket (
    mesh_name          text             NOT NULL,
    bucket_start       timestamptz      NOT NULL,
    source_kind        text             NOT NULL CHECK (source_kind IN ('virtualNode', 'virtualGateway')),
    source_name        text             NOT NULL,
    destination_node   text             NOT NULL,
    destination_port   integer          NOT NULL CHECK (destination_port BETWEEN 1 AND 65535),
    upper_bound_millis double precision NOT NULL CHECK (upper_bound_millis > 0),
    samples            bigint           NOT NULL CHECK (samples >= 0),
    PRIMARY KEY (mesh_name, bucket_start, source_kind, source_name, destination_node, destination_port, upper_bound_millis)
);
CREATE INDEX traffic_latency_bucket_age ON traffic_latency_bucket (bucket_start);
