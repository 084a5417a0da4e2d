-- Each workload whose pods held GPUs: its namespace (the team a quota applies to), whether it is a training job
-- (its pods are a training operator's: PyTorchJob / MPIJob / TFJob master, worker, launcher, chief, ps or evaluator
-- pods, or it exports the configured step counter under the configured job label), and the first and last minute
-- its pods held a GPU. Read from the hourly GPU time and the counter increments (incremental), never the points.
with pods as (

    select
        service,
        {{ any_non_null('namespace') }} filter (where namespace is not null)                     as namespace,
        coalesce(bool_or(training_pods), false)                                 as has_training_pods,
        min(first_minute)                                                       as first_seen,
        max(last_minute)                                                        as last_seen
    from {{ ref('int_telemetry__gpu_time_hourly') }}
    where service is not null
    group by service

),

counted as (

    select distinct {{ json_text('series_labels', '$."' ~ var('training_job_label') ~ '"') }} as service
    from {{ ref('int_telemetry__counter_deltas') }}
    where metric = '{{ var('training_step_metric') }}'

)

select
    p.service,
    p.namespace,
    p.has_training_pods or c.service is not null        as is_training,
    c.service is not null                               as has_step_counter,
    p.first_seen,
    p.last_seen
from pods as p
left join counted as c using (service)
