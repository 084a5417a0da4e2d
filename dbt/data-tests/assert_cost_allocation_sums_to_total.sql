{{ config(severity='error', meta={'dagster': {'ref': {'name': 'fct_cost_allocation_daily'}}}) }}
-- Blocking: allocated + unallocated equals the cost facts exactly, per day, provider and currency, in all four
-- measures (net and gross, billed and effective); the cost facts are the bills and the on-prem hosts' cost.
with allocated as (
    select day, provider_name, currency,
           sum(net_billed_cost) as net_billed, sum(net_effective_cost) as net_effective,
           sum(gross_billed_cost) as gross_billed, sum(gross_effective_cost) as gross_effective
    from {{ ref('fct_cost_allocation_daily') }} group by all
),
total as (
    select charge_date as day, provider_name, billing_currency as currency,
           sum(net_billed_cost) as net_billed, sum(net_effective_cost) as net_effective,
           sum(billed_cost) as gross_billed, sum(effective_cost) as gross_effective
    from {{ ref('fct_cost') }} group by all
    union all
    select day, 'On-prem', currency, sum(total_cost), sum(total_cost), sum(total_cost), sum(total_cost)
    from {{ ref('fct_onprem_cost_daily') }} group by all
)
select *
from total t
full join allocated a using (day, provider_name, currency)
where coalesce(t.net_billed, 0) <> coalesce(a.net_billed, 0)
   or coalesce(t.net_effective, 0) <> coalesce(a.net_effective, 0)
   or coalesce(t.gross_billed, 0) <> coalesce(a.gross_billed, 0)
   or coalesce(t.gross_effective, 0) <> coalesce(a.gross_effective, 0)
