-- Commitments per day: the commitment's amortized cost, how much of it covered eligible usage, what went unused,
-- and what the covered usage would have cost on demand. From the bill alone:
--   Savings Plans: each SavingsPlanRecurringFee line item (one per hour of the plan) carries the hour's total
--     commitment and the part usage consumed (savings_plan_total_commitment_to_date, savings_plan_used_commitment);
--     SavingsPlanCoveredUsage line items carry the on-demand cost of the usage the plan covered.
--   Reservations: each RIFee line item covers its usage period (a billing month) with the recurring fee (its
--     unblended cost) plus the upfront fee amortized over the period, and states the unused part of both
--     (reservation_unused_recurring_fee, reservation_unused_amortized_upfront_fee_for_billing_period); it is spread
--     over the days of its period by hours, up to the newest day of usage in the bill (a month still running shows
--     the days billed so far, not the days to come). DiscountedUsage line items carry the public on-demand cost of the usage
--     the reservation covered (their own unblended cost is 0).
--   GCP committed use discounts (resource-based, int_gcp_commitment_hourly): a commitment is its fee SKU in a region,
--     billed hourly; used = the fee x the share of its committed units that usage filled; covered on-demand cost = the
--     COMMITTED_USAGE_DISCOUNT credits of the usage it covered (each cancels the on-demand cost of covered units).
with line_items as (

    select * from {{ ref('stg_aws_cur__line_items') }}
    where savings_plan_arn is not null or reservation_arn is not null

),

sp_fees as (

    select
        cast(usage_start_at as date)                    as charge_date,
        billing_account_id,
        'savings_plan'                                  as commitment_type,
        savings_plan_arn                                as commitment_id,
        billing_currency,
        count(*)                                        as commitment_hours,
        sum(savings_plan_total_commitment_usd)          as commitment_cost,
        sum(savings_plan_used_commitment_usd)           as used_commitment
    from line_items
    where line_item_type = 'SavingsPlanRecurringFee' and savings_plan_arn is not null
    group by all

),

ri_fees as (

    select
        billing_account_id,
        reservation_arn                                 as commitment_id,
        billing_currency,
        usage_start_at,
        greatest(usage_end_at, usage_start_at + interval 1 hour) as usage_end_at,
        unblended_cost_usd + coalesce(reservation_amortized_upfront_usd, 0) as commitment,
        coalesce(reservation_unused_recurring_fee_usd, 0) + coalesce(reservation_unused_amortized_upfront_usd, 0)
                                                        as unused
    from line_items
    where line_item_type = 'RIFee' and reservation_arn is not null

),

ri_days as (

    -- each day of the fee's period takes the share of its hours that fall on that day
    select
        cast(day as date)                               as charge_date,
        f.*,
        ({{ epoch_seconds("least(f.usage_end_at, day + interval 1 day)") }} - {{ epoch_seconds("greatest(f.usage_start_at, day)") }})
            / ({{ epoch_seconds("f.usage_end_at") }} - {{ epoch_seconds("f.usage_start_at") }}) as share,
        ({{ epoch_seconds("least(f.usage_end_at, day + interval 1 day)") }} - {{ epoch_seconds("greatest(f.usage_start_at, day)") }}) / 3600
                                                        as hours
    from ri_fees f,
         {{ lateral_series("date_trunc('day', f.usage_start_at)", 'f.usage_end_at - interval 1 microsecond',
                        'interval 1 day') }} as t(day)
    where day <= (select max(usage_start_at) from {{ ref('stg_aws_cur__line_items') }}
                  where line_item_type in ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage'))

),

ri as (

    select
        charge_date,
        billing_account_id,
        'reservation'                                   as commitment_type,
        commitment_id,
        billing_currency,
        cast(round(sum(hours)) as bigint)               as commitment_hours,
        {{ money('sum(cast(commitment as double) * share)') }}          as commitment_cost,
        {{ money('sum(cast(commitment - unused as double) * share)') }} as used_commitment
    from ri_days
    group by all

),

fees as (

    select * from sp_fees
    union all
    select * from ri

),

gcp as (

    select
        cast(hour_start as date)                        as charge_date,
        'Google Cloud'                                  as provider_name,
        billing_account_id,
        'committed_use'                                 as commitment_type,
        region_id || ': ' || commitment_sku             as commitment_id,
        billing_currency,
        count(*)                                        as commitment_hours,
        sum(commitment_cost)                            as commitment_cost,
        sum(used_commitment)                            as used_commitment,
        sum(covered_on_demand_cost)                     as covered_on_demand_cost
    from {{ ref('int_gcp_commitment_hourly') }}
    group by all

),

covered as (

    select
        cast(usage_start_at as date)                    as charge_date,
        coalesce(savings_plan_arn, reservation_arn)     as commitment_id,
        billing_currency,
        sum(case when line_item_type = 'SavingsPlanCoveredUsage' then unblended_cost_usd
                 else public_on_demand_cost_usd end)    as covered_on_demand_cost
    from line_items
    where line_item_type in ('SavingsPlanCoveredUsage', 'DiscountedUsage')
    group by all

),

aws as (

    select
        fees.charge_date,
        'AWS'                                           as provider_name,
        fees.billing_account_id,
        fees.commitment_type,
        fees.commitment_id,
        fees.billing_currency,
        fees.commitment_hours,
        fees.commitment_cost,
        fees.used_commitment,
        coalesce(covered.covered_on_demand_cost, {{ money(0) }})
                                                        as covered_on_demand_cost
    from fees
    left join covered using (charge_date, commitment_id, billing_currency)

),

commitments as (

    select * from aws
    {{ union_all_by_name() }}
    select * from gcp

),

final as (

    select
        charge_date,
        provider_name,
        billing_account_id,
        commitment_type,
        commitment_id,
        billing_currency,
        commitment_hours,
        commitment_cost,
        used_commitment,
        commitment_cost - used_commitment               as unused_commitment,
        case when commitment_cost > 0
             then cast(used_commitment as double) / cast(commitment_cost as double) end
                                                        as utilization,
        covered_on_demand_cost,
        covered_on_demand_cost - commitment_cost        as net_savings
    from commitments

)

select * from final
