-- Every dollar of every day allocated to a service, or kept visible as `unallocated` with the reason:
--   tag       cost tagged to the service (AWS tags, GCP labels, FOCUS tags);
--   gpu_time  a shared (untagged) GPU instance's cost split by the GPU time each service's pods held it (an
--             on-prem GPU host's day from fct_onprem_cost_daily, provider 'On-prem', is shared the same way)
--             (int_telemetry__gpu_time_hourly: whole GPUs, MIG slices by profile, time-sliced GPUs by share), over
--             the instance's billed GPU-hours; the part no pod held is unallocated `gpu_time_not_held`;
--   proportional  charge categories in var allocation_proportional_categories (Tax) split in proportion to each
--             service's allocated cost of the day; without any allocated cost it stays `no_allocated_base`;
--   anything else untagged stays unallocated `untagged`.
-- Four measures, allocated by the same rules: net_billed_cost and net_effective_cost (after negotiated discounts:
-- each line carries its own, the discount lines are 0; see int_costs_unioned) are what services are charged;
-- gross_billed_cost and gross_effective_cost are the lines as the bill states them, where the discount lines are
-- lines of their own and stay unallocated `untagged`. Proportional categories are split by net billed cost.
-- Remainders are computed in DECIMAL, so Σ allocated + unallocated = fct_cost + fct_onprem_cost_daily exactly, in
-- each measure (a blocking dbt test).
{% set measures = ['net_billed_cost', 'net_effective_cost', 'gross_billed_cost', 'gross_effective_cost'] %}
{% set shared = var('allocation_shared_services') %}
{% set proportional = var('allocation_proportional_categories') %}
with bill as (

    select
        charge_date                                                     as day,
        provider_name,
        billing_currency                                                as currency,
        -- machines by the last part of their id: the bill's GCE global name meets the inventory's instance name
        {{ machine_key('resource_id') }}                                  as resource_id,
        tag_service,
        charge_category in ({{ "'" ~ proportional | join("', '") ~ "'" }}) as is_proportional,
        tag_service in ({{ "'" ~ shared | join("', '") ~ "'" }})          as is_shared,
        sum(net_billed_cost)                                            as net_billed_cost,
        sum(net_effective_cost)                                         as net_effective_cost,
        sum(billed_cost)                                                as gross_billed_cost,
        sum(effective_cost)                                             as gross_effective_cost
    from {{ ref('fct_cost') }}
    group by all

),

-- an on-prem GPU host's day (fct_onprem_cost_daily) is shared like an untagged GPU instance: by GPU time held
onprem as (

    select
        o.day,
        'On-prem'                                                       as provider_name,
        o.currency,
        {{ machine_key('coalesce(k.resource_id, o.host)') }}             as resource_id,
        cast(null as string)                                           as tag_service,
        false                                                           as is_proportional,
        true                                                            as is_shared,
        {% for m in measures %}o.total_cost as {{ m }}{{ ', ' if not loop.last }}{% endfor %}
    from {{ ref('fct_onprem_cost_daily') }} as o
    left join {{ ref('int_inventory__host_keys') }} as k on k.match_key = lower(o.host)
    where o.total_cost <> 0

),

costs as (

    select * from bill
    union all
    select * from onprem

),

held as (

    select day, machine as resource_id, service, gpu_hours_held
    from {{ ref('int_telemetry__machine_gpu_time_daily') }}

),

capacity as (

    -- billed GPU-hours of each machine-day (cloud instances by the bill, on-prem hosts GPUs x 24)
    select day, machine as resource_id, sum(gpu_hours) as billed_gpu_hours
    from {{ ref('int_gpu_machine_days') }}
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
           cast(null as string) as unallocated_reason, {% for m in measures %}{{ m }}{{ ', ' if not loop.last }}{% endfor %}
    from costs
    where not is_shared and not is_proportional

),

gpu_shared as (

    select c.day, c.provider_name, c.currency, s.service, 'gpu_time' as allocation_method,
           cast(null as string) as unallocated_reason,
           {% for m in measures %}{{ money('c.' ~ m ~ ' * s.share') }} as {{ m }}{{ ', ' if not loop.last }}{% endfor %},
           c.resource_id
    from costs as c
    join shares as s using (day, resource_id)
    where c.is_shared and not c.is_proportional

),

shared_buckets as (

    select c.day, c.provider_name, c.currency, c.resource_id, r.resource_id is not null as has_gpu_time,
           {% for m in measures %}sum(c.{{ m }}) as {{ m }}{{ ', ' if not loop.last }}{% endfor %}
    from costs as c
    left join (select distinct day, resource_id from shares) as r using (day, resource_id)
    where c.is_shared and not c.is_proportional
    group by all

),

shared_remainders as (

    select b.day, b.provider_name, b.currency, 'unallocated' as service, 'none' as allocation_method,
           case when b.has_gpu_time then 'gpu_time_not_held' else 'untagged' end as unallocated_reason,
           {% for m in measures %}b.{{ m }} - coalesce(sum(g.{{ m }}), 0) as {{ m }}{{ ', ' if not loop.last }}{% endfor %}
    from shared_buckets as b
    left join gpu_shared as g using (day, provider_name, currency, resource_id)
    group by b.day, b.provider_name, b.currency, b.resource_id, b.has_gpu_time, {% for m in measures %}b.{{ m }}{{ ', ' if not loop.last }}{% endfor %}

),

allocated as (

    select day, provider_name, currency, service, allocation_method, unallocated_reason, {% for m in measures %}{{ m }}{{ ', ' if not loop.last }}{% endfor %}
    from tagged
    union all
    select day, provider_name, currency, service, allocation_method, unallocated_reason, {% for m in measures %}{{ m }}{{ ', ' if not loop.last }}{% endfor %}
    from gpu_shared

),

weights as (

    select day, provider_name, currency, service,
           net_billed_cost / nullif(sum(net_billed_cost) over (partition by day, provider_name, currency), 0) as w
    from (select day, provider_name, currency, service, sum(net_billed_cost) as net_billed_cost
          from allocated group by all having sum(net_billed_cost) <> 0)

),

proportional_pool as (

    select day, provider_name, currency, {% for m in measures %}sum({{ m }}) as {{ m }}{{ ', ' if not loop.last }}{% endfor %}
    from costs where is_proportional
    group by all

),

proportional as (

    select p.day, p.provider_name, p.currency, w.service, 'proportional' as allocation_method,
           cast(null as string) as unallocated_reason,
           {% for m in measures %}{{ money('p.' ~ m ~ ' * w.w') }} as {{ m }}{{ ', ' if not loop.last }}{% endfor %}
    from proportional_pool as p
    join weights as w using (day, provider_name, currency)

),

proportional_remainder as (

    select p.day, p.provider_name, p.currency, 'unallocated' as service, 'none' as allocation_method,
           case when count(q.service) = 0 then 'no_allocated_base' else 'rounding' end as unallocated_reason,
           {% for m in measures %}p.{{ m }} - coalesce(sum(q.{{ m }}), 0) as {{ m }}{{ ', ' if not loop.last }}{% endfor %}
    from proportional_pool as p
    left join proportional as q using (day, provider_name, currency)
    group by p.day, p.provider_name, p.currency, {% for m in measures %}p.{{ m }}{{ ', ' if not loop.last }}{% endfor %}

),

unioned as (

    select * from allocated
    union all select * from shared_remainders
    union all select * from proportional
    union all select * from proportional_remainder

)

select
    day, provider_name, currency, service, allocation_method, unallocated_reason,
    {% for m in measures %}{{ money('sum(' ~ m ~ ')') }} as {{ m }}{{ ', ' if not loop.last }}{% endfor %}
from unioned
group by all
having {% for m in measures %}sum({{ m }}) <> 0{{ ' or ' if not loop.last }}{% endfor %}
