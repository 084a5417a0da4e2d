-- Metric history from Prometheus query_range answers (long form). A (metric, day) partition is replaced as a whole
-- by its backfill, so re-running a day is idempotent. NaN is stored as NULL (missing), never 0.
create table if not exists raw.prometheus_samples (
    sample_time     timestamp not null,
    metric          varchar not null,
    series_labels   json not null,           -- every label of the series except __name__
    hostname        varchar,                 -- Hostname / hostname
    gpu_uuid        varchar,                 -- UUID
    gpu_i_id        varchar,
    pod             varchar,                 -- pod / exported_pod
    value           double,
    _partition      varchar not null,        -- '<metric>/<YYYY-MM-DD>'
    _source_file    varchar not null,
    _load_id        varchar not null,
    _loaded_at      timestamptz not null
);
