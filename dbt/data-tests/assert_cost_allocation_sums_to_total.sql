{{ config(severity='error', meta={'dagster': {'ref': {'name': 'fct_cost_allocation_daily'}}}) }}
-- Blocking: allocated + unallocated equals the cost facts exactly, per day, provider and currency, in both views.
with allocated as (
    select day, provider_name, currency, sum(billed_cost) as billed, sum(effective_cost) as effective
    from {{ ref('fct_cost_allocation_daily') }} group by all
),
total as (
    select charge_date as day, provider_name, billing_currency as currency,
           sum(billed_cost) as billed, sum(effective_cost) as effective
    from {{ ref('fct_cost') }} group by all
)
select *
from total t
full join allocated a using (day, provider_name, currency)
where coalesce(t.billed, 0) <> coalesce(a.billed, 0) or coalesce(t.effective, 0) <> coalesce(a.effective, 0)
