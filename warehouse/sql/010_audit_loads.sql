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
