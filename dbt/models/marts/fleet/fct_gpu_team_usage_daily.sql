-- GPU-hours each team held per day against its quota. A team is the namespace of the pods that held the GPUs
-- (int_telemetry__gpu_time_hourly); its quota is var gpu_quotas (GPUs it may hold at once, the configuration's
-- fleet.gpu_quotas, as a Kubernetes ResourceQuota on nvidia.com/gpu would state it), so a day's quota is quota x 24
-- GPU-hours; a team without one has NULL quota columns.
{% set quotas = var('gpu_quotas') %}
with hourly as (

    select hour_start, coalesce(namespace, 'unknown') as team, sum(gpu_hours_held) as gpu_hours_held
    from {{ ref('int_telemetry__gpu_time_hourly') }}
    group by all

),

quotas as (

    {% if quotas %}
    select * from (values
        {% for team, gpus in quotas.items() %}('{{ team }}', cast({{ gpus | float }} as double)){{ ',' if not loop.last }}{% endfor %}
    ) as q(team, quota_gpus)
    {% else %}
    select cast(null as string) as team, cast(null as double) as quota_gpus where false
    {% endif %}

)

select
    cast(h.hour_start as date)                                                  as day,
    h.team,
    sum(h.gpu_hours_held)                                                       as gpu_hours_held,
    max(h.gpu_hours_held)                                                       as peak_gpus_held,
    {{ any_non_null('q.quota_gpus') }}                                                     as quota_gpus,
    {{ any_non_null('q.quota_gpus') }} * 24                                                as quota_gpu_hours,
    sum(h.gpu_hours_held) / nullif({{ any_non_null('q.quota_gpus') }} * 24, 0)             as quota_used_share,
    case when {{ any_non_null('q.quota_gpus') }} is null then null
         else count(*) filter (where h.gpu_hours_held > q.quota_gpus) end             as hours_over_quota
from hourly as h
left join quotas as q using (team)
group by all
