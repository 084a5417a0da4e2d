-- One row per training job (a run: its pods' first to last minute on a GPU) and currency: start, end, wall time,
-- GPU-hours held, cost (fct_training_daily, the job's allocated amortized cost), steps and tokens from its counters,
-- cost per 1,000 steps and per million tokens, and time to train: from its start to the last minute its step
-- counter grew (NULL without a counter; a job without one still gets its GPU-hours and cost).
with daily as (

    select job, currency, sum(gpu_hours) as gpu_hours, sum(cost) as cost, sum(steps) as steps, sum(tokens) as tokens
    from {{ ref('fct_training_daily') }}
    group by all

),

last_step as (

    select {{ json_text('series_labels', '$."' ~ var('training_job_label') ~ '"') }} as job,
           max(sample_time) as last_step_at
    from {{ ref('int_telemetry__counter_deltas') }}
    where metric = '{{ var('training_step_metric') }}' and increment > 0
    group by all

)

select
    d.job,
    d.currency,
    w.first_seen                                                                        as started_at,
    w.last_seen                                                                         as ended_at,
    ({{ epoch_seconds("w.last_seen") }} - {{ epoch_seconds("w.first_seen") }}) / cast(3600 as double) + 1 / cast(60 as double)                      as wall_hours,
    d.gpu_hours,
    d.cost,
    d.steps,
    d.tokens,
    {{ money('d.cost * 1000 / nullif(d.steps, 0)') }}                                   as cost_per_1k_steps,
    {{ money('d.cost * 1000000 / nullif(d.tokens, 0)') }}                               as cost_per_1m_tokens,
    ({{ epoch_seconds("s.last_step_at") }} - {{ epoch_seconds("w.first_seen") }}) / cast(3600 as double)                              as time_to_train_hours,
    w.has_step_counter
from daily as d
join {{ ref('int_telemetry__workloads') }} as w on w.service = d.job
left join last_step as s using (job)
