-- Legacy Cost and Usage Reports (CSV / Parquet), mapped onto the CUR 2.0 columns of raw.aws_cur_line_items (same
-- columns, same lineage), one billing period replaced atomically per assembly.
create table if not exists raw.aws_cur_legacy_line_items as from raw.aws_cur_line_items with no data;
-- 0.4: the net amortized columns (see 020), for warehouses created before them.
alter table raw.aws_cur_legacy_line_items add column if not exists reservation_net_effective_cost double;
alter table raw.aws_cur_legacy_line_items add column if not exists
    reservation_net_unused_amortized_upfront_fee_for_billing_period double;
alter table raw.aws_cur_legacy_line_items add column if not exists reservation_net_unused_recurring_fee double;
alter table raw.aws_cur_legacy_line_items add column if not exists savings_plan_net_savings_plan_effective_cost double;
