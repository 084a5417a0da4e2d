-- One row per load attempt of one source partition. A row stays 'running' only if the process died mid-load;
-- the data of such a load was rolled back with its transaction.
create table if not exists audit.loads (
    load_id           varchar primary key,
    source            varchar not null,      -- e.g. 'aws_cur'
    target_table      varchar not null,      -- e.g. 'raw.aws_cur_line_items'
    partition_key     varchar not null,      -- e.g. '2026-10' for a billing period
    delivery_id       varchar,               -- e.g. the CUR execution / assembly id
    input_files       json,                  -- [{"path", "sha256", "bytes"}]
    rows_read         bigint,
    rows_loaded       bigint,
    rows_quarantined  bigint,
    rows_replaced     bigint,                -- rows of the partition that this load replaced
    started_at        timestamptz not null,
    finished_at       timestamptz,
    status            varchar not null,      -- running | success | failed
    message           varchar
);

-- What each load read, per billing period, provider and currency, computed from the rows as they came out of the
-- delivered files (before any dedupe): the reconciliation check compares the marts against it.
create table if not exists audit.source_totals (
    load_id            varchar not null,
    source             varchar not null,
    partition_key      varchar not null,
    billing_period     varchar not null,   -- 'YYYY-MM'
    provider_name      varchar not null,
    currency           varchar,
    rows_read          bigint not null,
    file_total         decimal(38, 10),    -- Σ billed cost of every row read
    quarantined_total  decimal(38, 10)     -- Σ billed cost of the rows sent to quarantine (duplicates, bad rows)
);
-- added after the first release: warehouses created before get the column here
alter table audit.source_totals add column if not exists source_file varchar;  -- incremental sources: the file

-- Files of incremental sources already loaded (GCP export files): an unchanged file is not read again; a file
-- re-exported under the same name with other bytes replaces the rows the earlier version loaded.
create table if not exists audit.source_files (
    source      varchar not null,
    path        varchar not null,
    sha256      varchar not null,
    load_id     varchar not null,
    rows_read   bigint,
    loaded_at   timestamptz not null
);
