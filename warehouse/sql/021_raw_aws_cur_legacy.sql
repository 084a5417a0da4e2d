-- Legacy Cost and Usage Reports (CSV / Parquet), mapped onto the CUR 2.0 columns of raw.aws_cur_line_items (same
-- columns, same lineage), one billing period replaced atomically per assembly.
create table if not exists raw.aws_cur_legacy_line_items as from raw.aws_cur_line_items with no data;
