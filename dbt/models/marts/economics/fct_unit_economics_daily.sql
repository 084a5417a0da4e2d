-- The north-star figures per day and service (a workload: a Deployment, StatefulSet, Job or training job, see the
-- workload_of macro): what it cost (allocated; net of negotiated discounts, billed and amortized, with the gross
-- view beside), what it served (requests and tokens from vLLM/Triton counters) and with which GPUs (GPU-hours its
-- pods held, SM activity, energy).
-- cost_per_1k_requests_* = net cost / requests * 1000 (NULL without requests); cost_per_1m_tokens = net amortized
-- cost over prompt + generation tokens; p99_latency_s is estimated from the day's summed vLLM histogram buckets.
-- A workload with GPU time or requests but no allocated cost (a training job on an untagged cluster) shows zero
-- cost, the day's billing currency, and says why in cost_note; it never leaves the currency empty.
with cost as (

    select day, service, currency,
           sum(net_billed_cost) as net_cost_billed, sum(net_effective_cost) as net_cost_amortized,
           sum(gross_billed_cost) as gross_cost_billed, sum(gross_effective_cost) as gross_cost_amortized
    from {{ ref('fct_cost_allocation_daily') }}
    where service <> 'unallocated'
    group by all

),

-- the currency a cost-less workload is reported in: the day's billing currency (the first, if several)
day_currency as (

    select day, min(currency) as currency
    from {{ ref('fct_cost_allocation_daily') }}
    group by all

),

any_currency as (

    select coalesce(min(currency), '{{ var("reporting_currency") }}') as currency
    from {{ ref('fct_cost_allocation_daily') }}

),

requests as (

    select cast(hour_start as date) as day, service,
           sum(requests) as requests, sum(prompt_tokens) as prompt_tokens,
           sum(generation_tokens) as generation_tokens
    from {{ ref('fct_requests_hourly') }}
    group by all

),

gpu_time as (

    select cast(hour_start as date) as day, service, sum(gpu_hours_held) as gpu_hours
    from {{ ref('int_telemetry__gpu_time_hourly') }}
    where service is not null
    group by all

),

gpu_activity as (

    select cast(hour_start as date) as day, service,
           sum(avg_sm_active * coverage) / nullif(sum(coverage) filter (where avg_sm_active is not null), 0) as avg_sm_active,
           sum(energy_kwh) as energy_kwh
    from {{ ref('fct_gpu_utilization_hourly') }}
    where service is not null
    group by all

),

buckets as (

    select cast(sample_time as date) as day, service, cast(replace(le, '+Inf', 'inf') as double) as le,
           sum(increment) as cumulative
    from {{ ref('int_telemetry__counter_deltas') }}
    where metric = 'vllm:e2e_request_latency_seconds_bucket'
    group by all

),

p99 as (

    select day, service,
        min_by(
            case
                when le = cast('Infinity' as double) then lower_le
                when cumulative = lower_cumulative then le
                else lower_le + (le - lower_le) * (0.99 * total - lower_cumulative) / (cumulative - lower_cumulative)
            end, le) as p99_latency_s
    from (
        select *,
               max(cumulative) over (partition by day, service) as total,
               coalesce(lag(le) over w, 0) as lower_le,
               coalesce(lag(cumulative) over w, 0) as lower_cumulative
        from buckets
        window w as (partition by day, service order by le)
    )
    where total > 0 and cumulative >= 0.99 * total
    group by all

),

services as (

    select day, service from cost
    union select day, service from requests
    union select day, service from gpu_time

)

select
    s.day,
    s.service,
    coalesce(cost.currency, dc.currency, ac.currency)                         as currency,
    coalesce(r.requests, 0)                                                   as requests,
    coalesce(r.prompt_tokens, 0)                                              as prompt_tokens,
    coalesce(r.generation_tokens, 0)                                          as generation_tokens,
    coalesce(cost.net_cost_billed, {{ money(0) }})                            as net_cost_billed,
    coalesce(cost.net_cost_amortized, {{ money(0) }})                         as net_cost_amortized,
    coalesce(cost.gross_cost_billed, {{ money(0) }})                          as gross_cost_billed,
    coalesce(cost.gross_cost_amortized, {{ money(0) }})                       as gross_cost_amortized,
    case
        when cost.service is null and coalesce(g.gpu_hours, 0) > 0
            then 'no cost allocated: GPU time held, but no bill line is tagged to this workload or shares a GPU '
                 || 'instance it ran on'
        when cost.service is null then 'no cost allocated: no bill line is tagged to this workload'
    end                                                                       as cost_note,
    {{ money('cost.net_cost_billed * 1000 / nullif(r.requests, 0)') }}        as cost_per_1k_requests_billed,
    {{ money('cost.net_cost_amortized * 1000 / nullif(r.requests, 0)') }}     as cost_per_1k_requests_amortized,
    {{ money('cost.net_cost_amortized * 1000000 / nullif(r.prompt_tokens + r.generation_tokens, 0)') }}
                                                                              as cost_per_1m_tokens,
    coalesce(g.gpu_hours, 0)                                                  as gpu_hours,
    a.avg_sm_active,
    a.energy_kwh,
    a.energy_kwh * 1000 / nullif(r.requests, 0)                               as kwh_per_1k_requests,
    p99.p99_latency_s,
    r.requests / nullif(cost.net_cost_amortized, 0)                           as requests_per_dollar
from services as s
left join cost using (day, service)
left join day_currency as dc using (day)
cross join any_currency as ac
left join requests as r using (day, service)
left join gpu_time as g using (day, service)
left join gpu_activity as a using (day, service)
left join p99 using (day, service)
