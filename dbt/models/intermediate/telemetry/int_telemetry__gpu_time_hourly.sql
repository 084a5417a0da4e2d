-- GPU time each service's pods held, per hour, host and GPU, in GPU-hours:
--   * a whole GPU: the minutes a pod was on it;
--   * a MIG slice: its profile's share of the GPU (compute slices of 7: 1g.10gb = 1/7, 3g.40gb = 3/7, 7g.80gb = 1);
--   * a time-sliced GPU (several pods on one GPU in the same minute): each pod 1/k of that minute.
-- A minute counts when any DCGM sample of the GPU (or slice) names a pod; minutes without samples are not held.
-- Incremental: each minute stands alone, so only the days with newly loaded raw samples are rebuilt.
-- Also per row: the pods' namespace, whether they are a training operator's pods (master, worker, launcher, chief,
-- ps, evaluator), and the first and last minute held, so the workload and training marts never re-read the points.
{{ config(materialized='incremental', incremental_strategy=by_day_strategy(), unique_key='sample_day',
          partition_by=('sample_day' if target.type == 'spark' else none),
          on_schema_change='append_new_columns',
          pre_hook="{{ clear_rebuilt_days('sample_day', telemetry_changed_from()) }}") }}
{% set changed_from = telemetry_changed_from() %}
with observed as (

    select distinct
        date_trunc('minute', sample_time) as sample_minute,
        hostname, gpu_uuid, gpu_i_id, gpu_i_profile, pod, namespace, service
    from {{ ref('stg_telemetry__samples') }}
    where metric like 'DCGM_%' and pod is not null and gpu_uuid is not null
      {% if changed_from %}and sample_time >= date '{{ changed_from }}'{% endif %}

),

shared as (

    select
        *,
        case
            when gpu_i_id is not null
                then least(1.0, coalesce(try_cast(regexp_extract(gpu_i_profile, '^([0-9]+)g[.]', 1) as integer), 1) / cast(7 as double))
                     / count(*) over (partition by sample_minute, gpu_uuid, gpu_i_id)
            else cast(1 as double) / count(*) over (partition by sample_minute, gpu_uuid)
        end as share
    from observed

)

select
    date_trunc('hour', sample_minute) as hour_start,
    hostname,
    gpu_uuid,
    service,
    case when bool_or(gpu_i_id is not null) then 'mig'
         when max(share) < 1 then 'time_sliced' else 'whole' end as sharing,
    count(*)                          as minutes,
    sum(share) / cast(60 as double)                 as gpu_hours_held,
    cast(date_trunc('hour', sample_minute) as date) as sample_day,
    now()                             as _built_at,
    {{ any_non_null('namespace') }} filter (where namespace is not null and namespace <> '') as namespace,
    bool_or({{ regexp_contains('pod', "'.-(master|worker|launcher|chief|ps|evaluator)(-[0-9]+)?(-[bcdfghjklmnpqrstvwxz2456789]{5})?$'") }})
                                      as training_pods,
    min(sample_minute)                as first_minute,
    max(sample_minute)                as last_minute
from shared
group by date_trunc('hour', sample_minute), hostname, gpu_uuid, service
