-- One row per expectation per validation: what each data-quality suite found, kept for history and the UI.
create table if not exists audit.quality_results (
    validation_id     varchar not null,      -- one suite run
    suite             varchar not null,
    asset_key         varchar not null,      -- e.g. 'raw/aws_cur_line_items'
    scope             varchar,               -- which rows were validated (partition, load id, window)
    run_id            varchar,               -- the Dagster run, when it ran in one
    expectation       varchar not null,
    column_name       varchar,
    severity          varchar not null,      -- error | warn
    success           boolean not null,
    unexpected_count  bigint,
    observed          varchar,
    rows_validated    bigint not null,
    docs_page         varchar,               -- the GX data docs page of this validation
    validated_at      timestamptz not null
);
