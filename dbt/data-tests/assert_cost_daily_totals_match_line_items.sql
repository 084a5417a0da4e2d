{{ config(severity='error', meta={'dagster': {'ref': {'name': 'fct_cost_daily'}}}) }}
-- fct_cost_daily must hold exactly the money of fct_cost (no line lost or doubled by the grouping).
with lines as (
    select provider_name, charge_date, sum(billed_cost) as billed, sum(effective_cost) as effective
    from {{ ref('fct_cost') }} group by all
),
daily as (
    select provider_name, charge_date, sum(billed_cost) as billed, sum(effective_cost) as effective
    from {{ ref('fct_cost_daily') }} group by all
)
select *
from lines
full outer join daily using (provider_name, charge_date)
where lines.billed is distinct from daily.billed or lines.effective is distinct from daily.effective
