-- dcgm-exporter samples (long form: one row per sample) and one row per scrape, so a gap (an empty scrape or
-- none at all) stays a gap. A sample is identified by host, GPU (and MIG instance), metric and time.
create table if not exists raw.dcgm_samples (
    sample_time     timestamp not null,
    hostname        varchar,
    gpu             varchar,
    gpu_uuid        varchar not null,
    model_name      varchar,
    gpu_i_id        varchar,            -- MIG instance, NULL for a whole GPU
    gpu_i_profile   varchar,
    pod             varchar,
    namespace       varchar,
    container       varchar,
    metric          varchar not null,
    value           double,             -- NULL for NaN (missing), never 0
    _source_file    varchar not null,
    _source_line    bigint,
    _load_id        varchar not null,
    _loaded_at      timestamptz not null
);
create table if not exists raw.dcgm_scrapes (
    scraped_at      timestamp not null,
    host            varchar not null,
    samples         bigint not null,
    bad_lines       bigint not null,
    status          varchar not null,   -- ok | empty (a gap)
    _source_file    varchar not null,
    _load_id        varchar not null
);
