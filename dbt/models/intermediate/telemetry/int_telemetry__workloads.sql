-- Each workload whose pods held GPUs: its namespace (the team a quota applies to), whether it is a training job
-- (its pods are a training operator's: PyTorchJob / MPIJob / TFJob master, worker, launcher, chief, ps or evaluator
-- pods, or it exports the configured step counter under the configured job label), and when it was first and last
-- seen on a GPU.
with pods as (

    select
        service,
        any_value(namespace) filter (namespace is not null and namespace <> '')  as namespace,
        bool_or(regexp_matches(pod, '.-(master|worker|launcher|chief|ps|evaluator)(-[0-9]+)?(-[bcdfghjklmnpqrstvwxz2456789]{5})?$'))
                                                                                  as has_training_pods,
        min(sample_time)                                                          as first_seen,
        max(sample_time)                                                          as last_seen
    from {{ ref('stg_telemetry__samples') }}
    where metric like 'DCGM_%' and pod is not null and service is not null
    group by service

),

counted as (

    select distinct json_extract_string(series_labels, '$."{{ var('training_job_label') }}"') as service
    from {{ ref('stg_telemetry__samples') }}
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
