-- The north-star figures per day and service: what it cost (allocated, both views), what it served (requests and
-- tokens from vLLM/Triton counters) and with which GPUs (GPU-hours its pods held, SM activity, energy).
-- cost_per_1k_requests = cost / requests * 1000 (NULL without requests); cost_per_1m_tokens over prompt +
-- generation tokens; p99_latency_s is estimated from the day's summed vLLM histogram buckets.
with cost as (

    select day, service, currency, sum(billed_cost) as cost_billed, sum(effective_cost) as cost_amortized
    from {{ ref('fct_cost_allocation_daily') }}
    where service <> 'unallocated'
    group by all

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
           sum(avg_sm_active * coverage) / nullif(sum(coverage) filter (avg_sm_active is not null), 0) as avg_sm_active,
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
        arg_min(
            case
                when isinf(le) then lower_le
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
    cost.currency,
    coalesce(r.requests, 0)                                                   as requests,
    coalesce(r.prompt_tokens, 0)                                              as prompt_tokens,
    coalesce(r.generation_tokens, 0)                                          as generation_tokens,
    coalesce(cost.cost_billed, 0)                                             as cost_billed,
    coalesce(cost.cost_amortized, 0)                                          as cost_amortized,
    {{ money('cost.cost_billed * 1000 / nullif(r.requests, 0)') }}            as cost_per_1k_requests_billed,
    {{ money('cost.cost_amortized * 1000 / nullif(r.requests, 0)') }}         as cost_per_1k_requests_amortized,
    {{ money('cost.cost_amortized * 1000000 / nullif(r.prompt_tokens + r.generation_tokens, 0)') }}
                                                                              as cost_per_1m_tokens,
    coalesce(g.gpu_hours, 0)                                                  as gpu_hours,
    a.avg_sm_active,
    a.energy_kwh,
    a.energy_kwh * 1000 / nullif(r.requests, 0)                               as kwh_per_1k_requests,
    p99.p99_latency_s,
    r.requests / nullif(cost.cost_amortized, 0)                               as requests_per_dollar
from services as s
left join cost using (day, service)
left join requests as r using (day, service)
left join gpu_time as g using (day, service)
left join gpu_activity as a using (day, service)
left join p99 using (day, service)
