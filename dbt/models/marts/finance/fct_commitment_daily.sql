-- Savings Plans per day: the commitment's amortized cost, how much of it covered eligible usage, what went unused,
-- and what the covered usage would have cost on demand. From the bill alone: each SavingsPlanRecurringFee line item
-- (one per hour of the plan) carries the hour's total commitment and the part of it that usage consumed
-- (savings_plan_total_commitment_to_date, savings_plan_used_commitment); each SavingsPlanCoveredUsage line item the
-- on-demand cost of usage the plan covered.
with line_items as (

    select * from {{ ref('stg_aws_cur__line_items') }}
    where savings_plan_arn is not null

),

fees as (

    select
        cast(usage_start_at as date)                    as charge_date,
        billing_account_id,
        savings_plan_arn                                as commitment_id,
        billing_currency,
        count(*)                                        as commitment_hours,
        sum(savings_plan_total_commitment_usd)          as commitment_cost,
        sum(savings_plan_used_commitment_usd)           as used_commitment
    from line_items
    where line_item_type = 'SavingsPlanRecurringFee'
    group by all

),

covered as (

    select
        cast(usage_start_at as date)                    as charge_date,
        savings_plan_arn                                as commitment_id,
        billing_currency,
        sum(unblended_cost_usd)                         as covered_on_demand_cost
    from line_items
    where line_item_type = 'SavingsPlanCoveredUsage'
    group by all

),

final as (

    select
        fees.charge_date,
        'AWS'                                           as provider_name,
        fees.billing_account_id,
        'savings_plan'                                  as commitment_type,
        fees.commitment_id,
        fees.billing_currency,
        fees.commitment_hours,
        fees.commitment_cost,
        fees.used_commitment,
        fees.commitment_cost - fees.used_commitment     as unused_commitment,
        case when fees.commitment_cost > 0
             then cast(fees.used_commitment as double) / cast(fees.commitment_cost as double) end
                                                        as utilization,
        coalesce(covered.covered_on_demand_cost, {{ money(0) }})
                                                        as covered_on_demand_cost,
        coalesce(covered.covered_on_demand_cost, {{ money(0) }}) - fees.commitment_cost
                                                        as net_savings
    from fees
    left join covered using (charge_date, commitment_id, billing_currency)

)

select * from final
