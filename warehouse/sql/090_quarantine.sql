-- Rows a loader could not accept, with the reason and where they came from. One table per source.
create table if not exists quarantine.aws_cur_line_items (
    partition_key   varchar not null,
    load_id         varchar not null,
    source_file     varchar not null,
    source_row      bigint,
    reason          varchar not null,
    record          json,
    quarantined_at  timestamptz not null
);
create table if not exists quarantine.aws_cur_legacy_line_items as from quarantine.aws_cur_line_items with no data;
create table if not exists quarantine.focus_cost_rows as from quarantine.aws_cur_line_items with no data;
create table if not exists quarantine.gcp_billing_export as from quarantine.aws_cur_line_items with no data;
create table if not exists quarantine.aws_spot_prices as from quarantine.aws_cur_line_items with no data;
create table if not exists quarantine.gcp_sku_prices as from quarantine.aws_cur_line_items with no data;
create table if not exists quarantine.dcgm_samples as from quarantine.aws_cur_line_items with no data;
create table if not exists quarantine.prometheus_samples as from quarantine.aws_cur_line_items with no data;
create table if not exists quarantine.serving_samples as from quarantine.aws_cur_line_items with no data;
create table if not exists quarantine.host_inventory as from quarantine.aws_cur_line_items with no data;
create table if not exists quarantine.power_readings as from quarantine.aws_cur_line_items with no data;
create table if not exists quarantine.onprem_assets as from quarantine.aws_cur_line_items with no data;
