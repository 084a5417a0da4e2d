-- Inference requests and tokens per hour and service (vLLM), from counter increments (resets handled), with
-- end-to-end latency percentiles estimated from the histogram buckets the way histogram_quantile does
-- (linear inside the bucket; a percentile in the +Inf bucket is the highest finite bound).
with increments as (

    select
        *,
        regexp_replace(pod, '-[a-z0-9]{6,10}-[a-z0-9]{5}$', '') as service,
        date_trunc('hour', sample_time)                          as hour_start
    from {{ ref('int_telemetry__counter_deltas') }}
    where metric like 'vllm:%'

),

counts as (

    select
        hour_start,
        service,
        coalesce(sum(increment) filter (metric = 'vllm:request_success_total'
                                        and finished_reason in ('stop', 'length')), 0)         as requests,
        coalesce(sum(increment) filter (metric = 'vllm:request_success_total'
                                        and finished_reason = 'abort'), 0)                     as aborted,
        coalesce(sum(increment) filter (metric = 'vllm:request_success_total'
                                        and finished_reason not in ('stop', 'length', 'abort')), 0) as other_finishes,
        coalesce(sum(increment) filter (metric = 'vllm:prompt_tokens_total'), 0)               as prompt_tokens,
        coalesce(sum(increment) filter (metric = 'vllm:generation_tokens_total'), 0)           as generation_tokens,
        count(*) filter (is_reset)                                        as counter_resets
    from increments
    group by all

),

buckets as (

    select hour_start, service, cast(replace(le, '+Inf', 'inf') as double) as le, sum(increment) as cumulative
    from increments
    where metric = 'vllm:e2e_request_latency_seconds_bucket'
    group by all

),

bucket_bounds as (

    select
        *,
        max(cumulative) over (partition by hour_start, service) as total,
        coalesce(lag(le) over w, 0)                             as lower_le,
        coalesce(lag(cumulative) over w, 0)                     as lower_cumulative
    from buckets
    window w as (partition by hour_start, service order by le)

),

quantiles as (

    select
        b.hour_start,
        b.service,
        q.quantile,
        arg_min(
            case
                when isinf(b.le) then b.lower_le
                when b.cumulative = b.lower_cumulative then b.le
                else b.lower_le + (b.le - b.lower_le) * (q.quantile * b.total - b.lower_cumulative)
                                                      / (b.cumulative - b.lower_cumulative)
            end,
            b.le
        ) as seconds
    from bucket_bounds b
    cross join (select unnest([0.5, 0.95, 0.99]) as quantile) q
    where b.total > 0 and b.cumulative >= q.quantile * b.total
    group by all

)

select
    counts.*,
    max(seconds) filter (quantile = 0.5)  as latency_p50_s,
    max(seconds) filter (quantile = 0.95) as latency_p95_s,
    max(seconds) filter (quantile = 0.99) as latency_p99_s
from counts
left join quantiles using (hour_start, service)
group by all
