-- GCP resource-based committed use discounts, per commitment and hour. The billing export names no commitment on
-- the usage it covers: a commitment is its fee SKU in a region ("Commitment v1: A2 Cpu in Americas for 1 Year" in
-- us-central1, billed hourly at the committed rate, its usage.amount the committed units), pooled over the billing
-- account's usage of the same resource there. Covered usage carries a COMMITTED_USAGE_DISCOUNT credit that cancels the
-- on-demand cost of the units it covers (covered units = the row's units x -credit / cost). A fee's resource
-- ("A2 Cpu", "Nvidia Tesla A100 GPU") matches the usage SKU's resource with "Instance Core" read as "Cpu" and
-- "Instance Ram" as "Ram" ("A2 Instance Core running in Americas" -> "A2 Cpu").
with export_rows as (

    -- each row with its commitment key: a fee's committed resource, or the resource a usage row would draw
    select
        *,
        location_region                                                     as region_id,
        date_trunc('hour', usage_start_time)                                as hour_start,
        currency                                                            as billing_currency,
        {{ gcp_fee_commitment_key('sku_description') }}                     as fee_resource,
        {{ gcp_usage_commitment_key('sku_description') }}                   as usage_resource
    from {{ ref('stg_gcp__billing_export') }}

),

fees as (

    select
        billing_account_id, region_id, fee_resource as commitment_resource, hour_start, billing_currency,
        -- commitments on one resource in a region pool (a 1-year and a 3-year one): their fee SKUs, in order
        {{ sorted_distinct_join('sku_description', "' + '") }} as commitment_sku,
        sum(cost)                                                           as commitment_cost,
        sum(usage_amount_in_pricing_units)                                  as committed_units
    from export_rows
    where fee_resource <> ''
    group by all

),

covered as (

    select
        billing_account_id, region_id, usage_resource as commitment_resource, hour_start, billing_currency,
        cast(sum(usage_amount_in_pricing_units * cast(-commitment_credits_amount as double) / cast(cost as double))
             as decimal(38, 10))                                            as covered_units,
        -sum(commitment_credits_amount)                                     as covered_on_demand_cost
    from export_rows
    where commitment_credits_amount < 0 and cost > 0
    group by all

)

select
    fees.*,
    coalesce(covered.covered_units, 0)                                      as covered_units,
    coalesce(covered.covered_on_demand_cost, {{ money(0) }})                as covered_on_demand_cost,
    -- the fee's used part: the share of the committed units that usage filled (never more than the fee)
    {{ money('cast(fees.commitment_cost as double) * least(1, cast(coalesce(covered.covered_units, 0) as double)'
             ' / nullif(cast(fees.committed_units as double), 0))') }}     as used_commitment
from fees
left join covered using (billing_account_id, region_id, commitment_resource, hour_start, billing_currency)
