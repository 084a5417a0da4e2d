-- Stranded capacity: per cluster and hour, the GPUs present, the GPU-hours pods held (int_telemetry__gpu_time_hourly:
-- whole GPUs, MIG slices by profile share, time-sliced GPUs by share; at most one per GPU), the free GPU-hours, the
-- part of them stranded on partly used nodes (a node where pods held some GPU time that hour), the largest block of
-- GPUs free all hour on one node (the biggest job that could still start there), and what free and stranded
-- GPU-hours cost at each machine's cost per GPU-hour of the day (int_gpu_machine_days: amortized bill or on-prem
-- cost over billed GPU-hours; a machine without a known cost adds nothing, uncosted_gpu_hours says how much).
-- A cluster is var capacity_cluster_key of the machine's inventory entry: zone (availability zone, on-prem site),
-- account, instance_type (an instance group) or provider; 'unknown' for a host no inventory lists.
-- A GPU is present for the hour telemetry sampled it; free GPU-hours are observed GPU-hours (coverage) less held.
{% set key = var('capacity_cluster_key') %}
{% if key not in ['zone', 'account', 'instance_type', 'provider'] %}
    {{ exceptions.raise_compiler_error("var capacity_cluster_key must be zone, account, instance_type or provider, not " ~ key) }}
{% endif %}
with held as (

    select hour_start, gpu_uuid, least(1.0, sum(gpu_hours_held)) as held
    from {{ ref('int_telemetry__gpu_time_hourly') }}
    group by all

),

gpus as (

    select
        u.hour_start,
        coalesce(k.{{ key }}, 'unknown')                                        as cluster,
        u.hostname                                                              as node,
        {{ machine_key('coalesce(u.resource_id, u.hostname)') }}                as machine,
        u.gpu_uuid,
        u.coverage                                                              as observed,
        least(coalesce(h.held, 0), u.coverage)                                  as held
    from {{ ref('fct_gpu_utilization_hourly') }} as u
    left join {{ ref('int_inventory__host_keys') }} as k
        on k.match_key = {{ machine_key('coalesce(u.resource_id, u.hostname)') }}
    left join held as h using (hour_start, gpu_uuid)

),

rates as (

    select day, machine, {{ any_non_null('currency') }} as currency,
           sum(cost) / nullif(sum(gpu_hours), 0) as cost_per_gpu_hour
    from {{ ref('int_gpu_machine_days') }}
    group by all

),

nodes as (

    select
        g.hour_start, g.cluster, g.node, r.currency, r.cost_per_gpu_hour,
        count(*)                                                                as gpus,
        sum(g.observed)                                                         as observed_gpu_hours,
        sum(g.held)                                                             as held_gpu_hours,
        sum(g.observed - g.held)                                                as free_gpu_hours,
        count(*) filter (where g.held = 0)                                            as gpus_free_all_hour
    from gpus as g
    left join rates as r on r.day = cast(g.hour_start as date) and r.machine = g.machine
    group by all

)

select
    hour_start,
    cluster,
    coalesce(currency, '{{ var('reporting_currency') }}')                       as currency,
    count(*)                                                                    as nodes,
    cast(sum(gpus) as bigint)                                                   as gpus_present,
    sum(observed_gpu_hours)                                                     as observed_gpu_hours,
    sum(held_gpu_hours)                                                         as held_gpu_hours,
    sum(free_gpu_hours)                                                         as free_gpu_hours,
    coalesce(sum(free_gpu_hours) filter (where held_gpu_hours > 0), 0)                as stranded_gpu_hours,
    max(gpus_free_all_hour)                                                     as largest_free_block,
    {{ money('coalesce(sum(' ~ money('free_gpu_hours') ~ ' * cost_per_gpu_hour), 0)') }}   as free_cost,
    {{ money('coalesce(sum(' ~ money('free_gpu_hours') ~ ' * cost_per_gpu_hour) filter (where held_gpu_hours > 0), 0)') }}
                                                                                as stranded_cost,
    coalesce(sum(free_gpu_hours) filter (where cost_per_gpu_hour is null), 0)         as uncosted_free_gpu_hours
from nodes
group by hour_start, cluster, coalesce(currency, '{{ var('reporting_currency') }}')
