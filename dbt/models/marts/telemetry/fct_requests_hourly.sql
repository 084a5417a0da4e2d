-- Inference requests and tokens per hour and service (vLLM and Triton), from counter increments (resets handled).
-- requests = successful ones (vLLM finished stop/length, Triton nv_inference_request_success); aborts and errors
-- have their own columns. Latency percentiles are estimated from vLLM's histogram buckets the way
-- histogram_quantile does (linear inside the bucket; a percentile in the +Inf bucket is the highest finite bound);
-- avg_latency_s is Σ duration / Σ requests of both engines (Triton reports only the cumulative duration).
with increments as (

    select
        *,
        date_trunc('hour', sample_time) as hour_start
    from {{ ref('int_telemetry__counter_deltas') }}
    where metric like 'vllm:%' or metric like 'nv!_inference!_%' escape '!'

),

counts as (

    select
        hour_start,
        service,
        coalesce(sum(increment) filter (where (metric = 'vllm:request_success_total'
                                         and finished_reason in ('stop', 'length'))
                                        or metric = 'nv_inference_request_success'), 0)         as requests,
        coalesce(sum(increment) filter (where metric = 'vllm:request_success_total'
                                        and finished_reason = 'abort'), 0)                     as aborted,
        coalesce(sum(increment) filter (where (metric = 'vllm:request_success_total'
                                         and finished_reason not in ('stop', 'length', 'abort'))
                                        or metric = 'nv_inference_request_failure'), 0)         as errors,
        coalesce(sum(increment) filter (where metric = 'vllm:prompt_tokens_total'), 0)               as prompt_tokens,
        coalesce(sum(increment) filter (where metric = 'vllm:generation_tokens_total'), 0)           as generation_tokens,
        sum(increment) filter (where metric = 'vllm:e2e_request_latency_seconds_sum')                 as vllm_latency_sum_s,
        sum(increment) filter (where metric = 'vllm:e2e_request_latency_seconds_count')               as vllm_latency_count,
        sum(increment) filter (where metric = 'nv_inference_request_duration_us') / 1e6               as triton_duration_s,
        sum(increment) filter (where metric in ('nv_inference_request_success',
                                          'nv_inference_request_failure'))                      as triton_requests
    from increments
    group by all

),

-- restarts: resets of the request counter's series only (one metric; a restart also resets every histogram bucket
-- and token counter, which fct_counter_resets_daily counts per metric)
resets as (

    select hour_start, service, count(*) filter (where is_reset) as counter_resets
    from increments
    where metric in ('vllm:request_success_total', 'nv_inference_request_success')
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
        min_by(
            case
                when b.le = cast('Infinity' as double) then b.lower_le
                when b.cumulative = b.lower_cumulative then b.le
                else b.lower_le + (b.le - b.lower_le) * (q.quantile * b.total - b.lower_cumulative)
                                                      / (b.cumulative - b.lower_cumulative)
            end,
            b.le
        ) as seconds
    from bucket_bounds b
    cross join (select {{ unnest_list(['0.5', '0.95', '0.99']) }} as quantile) q
    where b.total > 0 and b.cumulative >= q.quantile * b.total
    group by all

)

select
    counts.* {{ star_except() }} (vllm_latency_sum_s, vllm_latency_count, triton_duration_s, triton_requests),
    (coalesce(vllm_latency_sum_s, 0) + coalesce(triton_duration_s, 0))
        / nullif(coalesce(vllm_latency_count, 0) + coalesce(triton_requests, 0), 0) as avg_latency_s,
    max(seconds) filter (where quantile = 0.5)  as latency_p50_s,
    max(seconds) filter (where quantile = 0.95) as latency_p95_s,
    max(seconds) filter (where quantile = 0.99) as latency_p99_s,
    coalesce({{ any_non_null('resets.counter_resets') }}, 0) as counter_resets
from counts
left join quantiles using (hour_start, service)
left join resets using (hour_start, service)
group by all
