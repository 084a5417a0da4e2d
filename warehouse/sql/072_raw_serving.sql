-- vLLM and Triton /metrics scrapes (long form), and one row per scrape so a gap stays a gap. series_labels holds
-- every label of the sample plus the target's instance (host:port), sorted, so a sample is identified by
-- (metric, series_labels, sample_time) and matches the same series read back from Prometheus.
create table if not exists raw.serving_samples (
    sample_time     timestamp not null,
    service         varchar not null,       -- from the target's configuration (or the folder it was saved in)
    instance        varchar not null,
    pod             varchar,
    engine          varchar not null,       -- vllm | triton | process (process_start_time_seconds)
    metric          varchar not null,
    series_labels   json not null,
    value           double,                 -- NULL for NaN (missing), never 0
    _source_file    varchar not null,
    _source_line    bigint,
    _load_id        varchar not null,
    _loaded_at      timestamptz not null
);
create table if not exists raw.serving_scrapes as from raw.dcgm_scrapes with no data;
