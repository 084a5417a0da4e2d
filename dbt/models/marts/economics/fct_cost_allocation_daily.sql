-- Every dollar of every day allocated to a service, or kept visible as `unallocated` with the reason:
--   tag       cost tagged to the service (AWS tags, GCP labels, FOCUS tags);
--   gpu_time  a shared (untagged) GPU instance's cost split by the GPU time each service's pods held it
--             (int_telemetry__gpu_time_hourly: whole GPUs, MIG slices by profile, time-sliced GPUs by share), over
--             the instance's billed GPU-hours; the part no pod held is unallocated `gpu_time_not_held`;
--   proportional  charge categories in var allocation_proportional_categories (Tax) split in proportion to each
--             service's allocated cost of the day; without any allocated cost it stays `no_allocated_base`;
--   anything else untagged stays unallocated `untagged`.
-- Remainders are computed in DECIMAL, so Σ allocated + unallocated = fct_cost exactly (a blocking dbt test).
{% set shared = var('allocation_shared_services') %}
{% set proportional = var('allocation_proportional_categories') %}
with costs as (

    select
        charge_date                                                     as day,
        provider_name,
        billing_currency                                                as currency,
        resource_id,
        tag_service,
        charge_category in ({{ "'" ~ proportional | join("', '") ~ "'" }}) as is_proportional,
        tag_service in ({{ "'" ~ shared | join("', '") ~ "'" }})          as is_shared,
        sum(billed_cost)                                                as billed_cost,
        sum(effective_cost)                                             as effective_cost
    from {{ ref('fct_cost') }}
    group by all

),

held as (

    select cast(g.hour_start as date) as day, k.resource_id, g.service, sum(g.gpu_hours_held) as gpu_hours_held
    from {{ ref('int_telemetry__gpu_time_hourly') }} as g
    join {{ ref('int_inventory__host_keys') }} as k on k.match_key = lower(g.hostname)
    where g.service is not null
    group by all

),

capacity as (

    select charge_date as day, resource_id, sum(gpu_hours) as billed_gpu_hours
    from {{ ref('fct_gpu_instance_hours_daily') }}
    group by all

),

shares as (

    select
        h.day, h.resource_id, h.service,
        h.gpu_hours_held / greatest(c.billed_gpu_hours, sum(h.gpu_hours_held) over (partition by h.day, h.resource_id))
            as share
    from held as h
    join capacity as c using (day, resource_id)
    where c.billed_gpu_hours > 0

),

tagged as (

    select day, provider_name, currency, tag_service as service, 'tag' as allocation_method,
           cast(null as varchar) as unallocated_reason, billed_cost, effective_cost
    from costs
    where not is_shared and not is_proportional

),

gpu_shared as (

    select c.day, c.provider_name, c.currency, s.service, 'gpu_time' as allocation_method,
           cast(null as varchar) as unallocated_reason,
           {{ money('c.billed_cost * s.share') }}    as billed_cost,
           {{ money('c.effective_cost * s.share') }} as effective_cost,
           c.resource_id
    from costs as c
    join shares as s using (day, resource_id)
    where c.is_shared and not c.is_proportional

),

shared_buckets as (

    select c.day, c.provider_name, c.currency, c.resource_id, r.resource_id is not null as has_gpu_time,
           sum(c.billed_cost) as billed_cost, sum(c.effective_cost) as effective_cost
    from costs as c
    left join (select distinct day, resource_id from shares) as r using (day, resource_id)
    where c.is_shared and not c.is_proportional
    group by all

),

shared_remainders as (

    select b.day, b.provider_name, b.currency, 'unallocated' as service, 'none' as allocation_method,
           case when b.has_gpu_time then 'gpu_time_not_held' else 'untagged' end as unallocated_reason,
           b.billed_cost - coalesce(sum(g.billed_cost), 0)       as billed_cost,
           b.effective_cost - coalesce(sum(g.effective_cost), 0) as effective_cost
    from shared_buckets as b
    left join gpu_shared as g using (day, provider_name, currency, resource_id)
    group by b.day, b.provider_name, b.currency, b.resource_id, b.has_gpu_time, b.billed_cost, b.effective_cost

),

allocated as (

    select day, provider_name, currency, service, allocation_method, unallocated_reason, billed_cost, effective_cost
    from tagged
    union all
    select day, provider_name, currency, service, allocation_method, unallocated_reason, billed_cost, effective_cost
    from gpu_shared

),

weights as (

    select day, provider_name, currency, service,
           billed_cost / nullif(sum(billed_cost) over (partition by day, provider_name, currency), 0) as w
    from (select day, provider_name, currency, service, sum(billed_cost) as billed_cost
          from allocated group by all having sum(billed_cost) <> 0)

),

proportional_pool as (

    select day, provider_name, currency, sum(billed_cost) as billed_cost, sum(effective_cost) as effective_cost
    from costs where is_proportional
    group by all

),

proportional as (

    select p.day, p.provider_name, p.currency, w.service, 'proportional' as allocation_method,
           cast(null as varchar) as unallocated_reason,
           {{ money('p.billed_cost * w.w') }} as billed_cost, {{ money('p.effective_cost * w.w') }} as effective_cost
    from proportional_pool as p
    join weights as w using (day, provider_name, currency)

),

proportional_remainder as (

    select p.day, p.provider_name, p.currency, 'unallocated' as service, 'none' as allocation_method,
           case when count(q.service) = 0 then 'no_allocated_base' else 'rounding' end as unallocated_reason,
           p.billed_cost - coalesce(sum(q.billed_cost), 0)       as billed_cost,
           p.effective_cost - coalesce(sum(q.effective_cost), 0) as effective_cost
    from proportional_pool as p
    left join proportional as q using (day, provider_name, currency)
    group by p.day, p.provider_name, p.currency, p.billed_cost, p.effective_cost

),

unioned as (

    select * from allocated
    union all select * from shared_remainders
    union all select * from proportional
    union all select * from proportional_remainder

)

select
    day, provider_name, currency, service, allocation_method, unallocated_reason,
    {{ money('sum(billed_cost)') }}    as billed_cost,
    {{ money('sum(effective_cost)') }} as effective_cost
from unioned
group by all
having sum(billed_cost) <> 0 or sum(effective_cost) <> 0
