-- AWS Data Exports CUR 2.0, as delivered (column names and types of the CUR 2.0 table dictionary), one billing
-- period replaced atomically per delivery. Columns starting with '_' are load lineage.
create table if not exists raw.aws_cur_line_items (
    bill_bill_type                                   varchar,
    bill_billing_entity                              varchar,
    bill_billing_period_end_date                     timestamp,
    bill_billing_period_start_date                   timestamp,
    bill_invoice_id                                  varchar,
    bill_invoicing_entity                            varchar,
    bill_payer_account_id                            varchar,
    bill_payer_account_name                          varchar,
    cost_category                                    map(varchar, varchar),
    discount                                         map(varchar, double),
    discount_bundled_discount                        double,
    discount_total_discount                          double,
    identity_line_item_id                            varchar,
    identity_time_interval                           varchar,
    line_item_availability_zone                      varchar,
    line_item_blended_cost                           double,
    line_item_blended_rate                           varchar,
    line_item_currency_code                          varchar,
    line_item_legal_entity                           varchar,
    line_item_line_item_description                  varchar,
    line_item_line_item_type                         varchar,
    line_item_net_unblended_cost                     double,
    line_item_normalization_factor                   double,
    line_item_normalized_usage_amount                double,
    line_item_operation                              varchar,
    line_item_product_code                           varchar,
    line_item_resource_id                            varchar,
    line_item_tax_type                               varchar,
    line_item_unblended_cost                         double,
    line_item_unblended_rate                         varchar,
    line_item_usage_account_id                       varchar,
    line_item_usage_account_name                     varchar,
    line_item_usage_amount                           double,
    line_item_usage_end_date                         timestamp,
    line_item_usage_start_date                       timestamp,
    line_item_usage_type                             varchar,
    pricing_currency                                 varchar,
    pricing_lease_contract_length                    varchar,
    pricing_offering_class                           varchar,
    pricing_public_on_demand_cost                    double,
    pricing_public_on_demand_rate                    varchar,
    pricing_purchase_option                          varchar,
    pricing_term                                     varchar,
    pricing_unit                                     varchar,
    product                                          map(varchar, varchar),
    product_from_location                            varchar,
    product_from_region_code                         varchar,
    product_instance_family                          varchar,
    product_instance_type                            varchar,
    product_location                                 varchar,
    product_product_family                           varchar,
    product_region_code                              varchar,
    product_servicecode                              varchar,
    product_sku                                      varchar,
    product_to_location                              varchar,
    product_to_region_code                           varchar,
    product_usagetype                                varchar,
    reservation_amortized_upfront_fee_for_billing_period double,
    reservation_effective_cost                       double,
    reservation_reservation_a_r_n                    varchar,
    reservation_unused_amortized_upfront_fee_for_billing_period double,
    reservation_unused_recurring_fee                 double,
    reservation_net_effective_cost                   double,
    reservation_net_unused_amortized_upfront_fee_for_billing_period double,
    reservation_net_unused_recurring_fee             double,
    reservation_amortized_upfront_cost_for_usage     double,
    reservation_recurring_fee_for_usage              double,
    resource_tags                                    map(varchar, varchar),
    savings_plan_amortized_upfront_commitment_for_billing_period double,
    savings_plan_recurring_commitment_for_billing_period double,
    savings_plan_savings_plan_a_r_n                  varchar,
    savings_plan_savings_plan_effective_cost         double,
    savings_plan_savings_plan_rate                   double,
    savings_plan_total_commitment_to_date            double,
    savings_plan_used_commitment                     double,
    savings_plan_net_savings_plan_effective_cost     double,
    -- load lineage
    _billing_period                                  varchar not null,   -- 'YYYY-MM', the partition
    _delivery_id                                     varchar not null,   -- the export's executionId
    _source_file                                     varchar not null,
    _source_row                                      bigint not null,
    _extra_columns                                   json,               -- columns the DDL does not know (schema drift)
    _load_id                                         varchar not null,
    _loaded_at                                       timestamptz not null
);

-- 0.4: the net (after negotiated discounts) amortized columns of Savings Plans and reservations, present in exports
-- of accounts with an enterprise or private-rate discount.
alter table raw.aws_cur_line_items add column if not exists reservation_net_effective_cost double;
alter table raw.aws_cur_line_items add column if not exists
    reservation_net_unused_amortized_upfront_fee_for_billing_period double;
alter table raw.aws_cur_line_items add column if not exists reservation_net_unused_recurring_fee double;
alter table raw.aws_cur_line_items add column if not exists savings_plan_net_savings_plan_effective_cost double;
-- 0.6: a reservation's per-hour split of its effective cost on DiscountedUsage line items
alter table raw.aws_cur_line_items add column if not exists reservation_amortized_upfront_cost_for_usage double;
alter table raw.aws_cur_line_items add column if not exists reservation_recurring_fee_for_usage double;
