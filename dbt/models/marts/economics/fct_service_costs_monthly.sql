-- The month per service, as the report, the demo summary and `infraledger status` show it: requests, tokens, cost in
-- both views (amortized = the headline, billed = the invoice view), unit costs, GPU-hours and energy; then the
-- month's unallocated cost, one row per reason (service 'unallocated'), so per-service figures are read beside what
-- they leave out. share_of_month = the row's amortized cost over the month's (per currency).
-- Unit costs are over the month's sums (Σ cost / Σ requests), not an average of daily ratios.
with services as (

    select
        cast(date_trunc('month', day) as date)                                  as month,
        service,
        cast(null as string)                                                   as unallocated_reason,
        currency,
        sum(requests)                                                           as requests,
        sum(prompt_tokens)                                                      as prompt_tokens,
        sum(generation_tokens)                                                  as generation_tokens,
        {{ money('sum(net_cost_amortized)') }}                                  as net_cost_amortized,
        {{ money('sum(net_cost_billed)') }}                                     as net_cost_billed,
        sum(gpu_hours)                                                          as gpu_hours,
        sum(energy_kwh)                                                         as energy_kwh,
        {{ any_non_null('cost_note') }} filter (where cost_note is not null)                     as cost_note
    from {{ ref('fct_unit_economics_daily') }}
    group by all

),

unallocated as (

    select
        cast(date_trunc('month', day) as date)                                  as month,
        'unallocated'                                                           as service,
        unallocated_reason,
        currency,
        cast(null as double)                                                    as requests,
        cast(null as double)                                                    as prompt_tokens,
        cast(null as double)                                                    as generation_tokens,
        {{ money('sum(net_effective_cost)') }}                                  as net_cost_amortized,
        {{ money('sum(net_billed_cost)') }}                                     as net_cost_billed,
        cast(null as double)                                                    as gpu_hours,
        cast(null as double)                                                    as energy_kwh,
        cast(null as string)                                                   as cost_note
    from {{ ref('fct_cost_allocation_daily') }}
    where service = 'unallocated'
    group by all

),

month_totals as (

    select cast(date_trunc('month', day) as date) as month, currency, sum(net_effective_cost) as amortized
    from {{ ref('fct_cost_allocation_daily') }}
    group by all

)

select
    r.*,
    {{ money('r.net_cost_amortized * 1000 / nullif(r.requests, 0)') }}                           as cost_per_1k_requests,
    {{ money('r.net_cost_amortized * 1000000 / nullif(r.prompt_tokens + r.generation_tokens, 0)') }}
                                                                                                  as cost_per_1m_tokens,
    r.energy_kwh * 1000 / nullif(r.requests, 0)                                                   as kwh_per_1k_requests,
    cast(r.net_cost_amortized / nullif(t.amortized, 0) as double)                                 as share_of_month
from (select * from services union all select * from unallocated) as r
left join month_totals as t using (month, currency)
