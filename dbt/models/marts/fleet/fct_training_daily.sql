-- Training economics per job and day. A training job is a workload int_telemetry__workloads marks as training (a
-- training operator's pods, or the configured step counter under the configured job label). Per day:
--   gpu_hours   GPU-hours its pods held (int_telemetry__gpu_time_hourly);
--   cost        its allocated cost (fct_cost_allocation_daily, net amortized: a cloud instance's tag or GPU-time
--               share, an on-prem host's day by GPU time held), so training and serving share one allocation;
--   steps       increments of var training_step_metric (resets handled: a restart from a checkpoint counts on) whose
--               var training_job_label names the job; tokens likewise from var training_token_metric;
-- and cost per 1,000 steps and per million tokens (NULL without a counter: the job still gets its cost).
with jobs as (

    select service as job from {{ ref('int_telemetry__workloads') }} where is_training

),

held as (

    select cast(g.hour_start as date) as day, g.service as job, sum(g.gpu_hours_held) as gpu_hours
    from {{ ref('int_telemetry__gpu_time_hourly') }} as g
    join jobs as j on j.job = g.service
    group by all

),

cost as (

    select a.day, a.service as job, a.currency, sum(a.net_effective_cost) as cost
    from {{ ref('fct_cost_allocation_daily') }} as a
    join jobs as j on j.job = a.service
    group by all

),

counters as (

    select
        sample_day                                                                      as day,
        {{ json_text('series_labels', '$."' ~ var('training_job_label') ~ '"') }}       as job,
        sum(increment) filter (where metric = '{{ var('training_step_metric') }}')            as steps,
        sum(increment) filter (where metric = '{{ var('training_token_metric') }}')           as tokens
    from {{ ref('int_telemetry__counter_deltas') }}
    where metric in ('{{ var('training_step_metric') }}', '{{ var('training_token_metric') }}')
    group by all

),

days as (

    select day, job from held
    union
    select day, job from cost
    union
    select c.day, c.job from counters as c join jobs as j using (job)

)

select
    d.day,
    d.job,
    coalesce(c.currency, '{{ var('reporting_currency') }}')                             as currency,
    coalesce(h.gpu_hours, 0)                                                            as gpu_hours,
    {{ money('coalesce(c.cost, 0)') }}                                                  as cost,
    n.steps,
    n.tokens,
    {{ money('c.cost * 1000 / nullif(n.steps, 0)') }}                                   as cost_per_1k_steps,
    {{ money('c.cost * 1000000 / nullif(n.tokens, 0)') }}                               as cost_per_1m_tokens
from days as d
left join held as h using (day, job)
left join cost as c using (day, job)
left join counters as n using (day, job)
