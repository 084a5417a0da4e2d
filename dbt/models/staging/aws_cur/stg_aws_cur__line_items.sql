-- One row per AWS line item of CUR 2.0 and legacy CUR (mapped to CUR 2.0 columns at load): renames and casts only
-- (money to DECIMAL, empty strings to NULL).
with cur2 as (

    select *, 'cur2' as export_format from {{ source('aws_cur', 'aws_cur_line_items') }}

),

legacy as (

    select *, 'legacy_cur' as export_format from {{ source('aws_cur', 'aws_cur_legacy_line_items') }}

),

source as (

    select * from cur2
    {{ union_all_by_name() }}
    select * from legacy

),

renamed as (

    select
        -- ids
        identity_line_item_id || '/' || identity_time_interval      as line_item_key,
        identity_line_item_id                                       as line_item_id,
        _billing_period                                             as billing_period,
        bill_payer_account_id                                       as billing_account_id,
        line_item_usage_account_id                                  as sub_account_id,
        line_item_usage_account_name                                as sub_account_name,
        nullif(line_item_resource_id, '')                           as resource_id,
        nullif(product_sku, '')                                     as sku_id,

        -- descriptive
        line_item_product_code                                      as product_code,
        line_item_line_item_type                                    as line_item_type,
        nullif(line_item_usage_type, '')                            as usage_type,
        nullif(line_item_operation, '')                             as operation,
        nullif(line_item_line_item_description, '')                 as line_item_description,
        nullif(product_product_family, '')                          as product_family,
        coalesce(nullif(product_region_code, ''), product['region']) as region_id,
        nullif(line_item_availability_zone, '')                     as availability_zone,
        nullif(product_instance_type, '')                           as instance_type,
        nullif(pricing_term, '')                                    as pricing_term,
        nullif(pricing_unit, '')                                    as pricing_unit,
        line_item_currency_code                                     as billing_currency,
        resource_tags,
        nullif(savings_plan_savings_plan_a_r_n, '')                 as savings_plan_arn,
        nullif(reservation_reservation_a_r_n, '')                   as reservation_arn,

        -- numerics
        cast(line_item_usage_amount as decimal(38, 10))             as usage_amount,
        {{ money('line_item_unblended_cost') }}                     as unblended_cost_usd,
        {{ money('line_item_net_unblended_cost') }}                 as net_unblended_cost_usd,
        {{ money('pricing_public_on_demand_cost') }}                as public_on_demand_cost_usd,
        {{ money('savings_plan_savings_plan_effective_cost') }}     as savings_plan_effective_cost_usd,
        {{ money('savings_plan_total_commitment_to_date') }}        as savings_plan_total_commitment_usd,
        {{ money('savings_plan_used_commitment') }}                 as savings_plan_used_commitment_usd,
        {{ money('reservation_effective_cost') }}                   as reservation_effective_cost_usd,
        {{ money('reservation_amortized_upfront_fee_for_billing_period') }}
                                                                    as reservation_amortized_upfront_usd,
        {{ money('reservation_unused_amortized_upfront_fee_for_billing_period') }}
                                                                    as reservation_unused_amortized_upfront_usd,
        {{ money('reservation_unused_recurring_fee') }}             as reservation_unused_recurring_fee_usd,
        -- net (after negotiated discounts) amortized columns: NULL where the bill has no such discount
        {{ money('savings_plan_net_savings_plan_effective_cost') }} as savings_plan_net_effective_cost_usd,
        {{ money('reservation_net_effective_cost') }}               as reservation_net_effective_cost_usd,
        {{ money('reservation_net_unused_amortized_upfront_fee_for_billing_period') }}
                                                                    as reservation_net_unused_amortized_upfront_usd,
        {{ money('reservation_net_unused_recurring_fee') }}         as reservation_net_unused_recurring_fee_usd,

        -- timestamps (UTC)
        bill_billing_period_start_date                              as billing_period_start_at,
        bill_billing_period_end_date                                as billing_period_end_at,
        line_item_usage_start_date                                  as usage_start_at,
        line_item_usage_end_date                                    as usage_end_at,

        -- lineage
        export_format,
        _delivery_id                                                as delivery_id,
        _source_file                                                as source_file

    from source

)

select * from renamed
