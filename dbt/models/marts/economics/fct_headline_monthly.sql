-- The month's headline figures per billing currency (the totals row of the report): cost in both views and its
-- unallocated part, requests and tokens, cost per 1,000 requests and per million tokens over the services that
-- served requests (a batch job's cost is not spread over them), GPU-hours, idle GPU cost, egress (sending side,
-- GB = 10^9 bytes), IT energy and PUE (facility over IT energy, over the minutes both were metered).
-- Idle cost, egress and energy are not split by currency: with several billing currencies they repeat on each row.
with cost as (

    select cast(date_trunc('month', day) as date) as month, currency,
           sum(net_effective_cost)                                     as net_cost_amortized,
           sum(net_billed_cost)                                        as net_cost_billed,
           coalesce(sum(net_effective_cost) filter (where service = 'unallocated'), 0) as unallocated_amortized
    from {{ ref('fct_cost_allocation_daily') }}
    group by all

),

units as (

    select month, currency,
           sum(requests)                                               as requests,
           sum(prompt_tokens + generation_tokens)                      as tokens,
           sum(net_cost_amortized) filter (where requests > 0)               as serving_cost_amortized,
           sum(prompt_tokens + generation_tokens) filter (where requests > 0) as serving_tokens,
           sum(gpu_hours)                                              as gpu_hours
    from {{ ref('fct_service_costs_monthly') }}
    where unallocated_reason is null
    group by all

),

idle as (

    select cast(date_trunc('month', day) as date) as month, sum(idle_cost) as idle_cost
    from {{ ref('fct_gpu_efficiency_daily') }}
    group by all

),

egress as (

    select cast(date_trunc('month', day) as date) as month, sum(gb) as egress_gb
    from {{ ref('fct_egress_daily') }}
    where egress_class <> 'inbound'
    group by all

),

energy as (

    select cast(date_trunc('month', day) as date) as month, sum(it_kwh) as it_kwh,
           sum(facility_kwh) / nullif(sum(it_kwh), 0) as pue
    from {{ ref('fct_site_energy_daily') }}
    group by all

)

select
    cost.month,
    cost.currency,
    {{ money('cost.net_cost_amortized') }}                                        as net_cost_amortized,
    {{ money('cost.net_cost_billed') }}                                           as net_cost_billed,
    {{ money('cost.unallocated_amortized') }}                                     as unallocated_amortized,
    coalesce(units.requests, 0)                                                   as requests,
    coalesce(units.tokens, 0)                                                     as tokens,
    {{ money('units.serving_cost_amortized * 1000 / nullif(units.requests, 0)') }}   as cost_per_1k_requests,
    {{ money('units.serving_cost_amortized * 1000000 / nullif(units.serving_tokens, 0)') }}
                                                                                  as cost_per_1m_tokens,
    units.gpu_hours,
    {{ money('idle.idle_cost') }}                                                 as idle_cost,
    {{ money('egress.egress_gb') }}                                               as egress_gb,
    energy.it_kwh,
    energy.pue
from cost
left join units using (month, currency)
left join idle using (month)
left join egress using (month)
left join energy using (month)
