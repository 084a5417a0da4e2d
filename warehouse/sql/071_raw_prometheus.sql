-- Metric history from Prometheus query_range answers, normalized: one row per series (its labels once) and one
-- narrow row per point. A (metric, day) partition of points is replaced as a whole by its backfill, so re-running
-- a day is idempotent. NaN is stored as NULL (missing), never 0. series_id = hash of the sorted label pairs, so
-- the same series has the same id whatever order an answer lists its labels in.
create table if not exists raw.prometheus_series (
    series_id       ubigint not null primary key,
    metric          varchar not null,
    series_labels   json not null,           -- every label of the series, __name__ included, as delivered
    hostname        varchar,                 -- Hostname / hostname
    gpu_uuid        varchar,                 -- UUID
    gpu_i_id        varchar,
    pod             varchar,                 -- pod / exported_pod
    instance        varchar,
    _first_load_id  varchar not null
);
create table if not exists raw.prometheus_samples (
    sample_time     timestamp not null,
    metric          varchar not null,
    series_id       ubigint not null,
    value           double,
    _partition      varchar not null,        -- '<metric>/<YYYY-MM-DD>'
    _source_file    varchar not null,
    _load_id        varchar not null,
    _loaded_at      timestamptz not null
);
