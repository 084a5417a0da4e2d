-- Cloud vs on-prem: what a GPU-hour of each model costs per month, by how it was bought, from our own figures.
--   cloud     fct_gpu_instance_hours_daily: net effective (amortized) cost / billed GPU-hours, by purchase option
--             (committed = Savings Plan, reservation or committed use discount);
--   on_prem   fct_onprem_cost_daily: total cost / the host's GPUs x 24, GPU model from its telemetry;
--   active    the GPU-hours pods held (int_telemetry__gpu_time_hourly) on machines telemetry observed; a cloud machine
--             whose day is split among purchase options (a partly covered VM) shares its held hours by GPU-hours.
--             cost_per_active_gpu_hour divides the cost of observed machines only, so an uninstrumented machine
--             never inflates it; observed_share says how much of the GPU-hours that is. Machines are matched by
--             the last part of their resource id (a GCE VM's global name and an inventory's instance name agree).
with cloud as (

    select
        charge_date                                                             as day,
        resource_id,
        {{ machine_key('resource_id') }}                                        as machine,
        gpu_model,
        case when purchase_option in ('savings_plan', 'reserved', 'committed_use', 'commitment') then 'committed'
             else purchase_option end                                           as bought,
        gpu_hours,
        net_effective_cost                                                      as cost
    from {{ ref('fct_gpu_instance_hours_daily') }}

),

held as (

    select
        cast(g.hour_start as date)                                              as day,
        {{ machine_key('coalesce(k.resource_id, g.hostname)') }}                as machine,
        sum(g.gpu_hours_held)                                                   as held_gpu_hours
    from {{ ref('int_telemetry__gpu_time_hourly') }} as g
    left join {{ ref('int_inventory__host_keys') }} as k on k.match_key = lower(g.hostname)
    group by all

),

observed as (

    -- machines telemetry saw that day (a GPU sample, held by a pod or not)
    select distinct cast(u.hour_start as date) as day, {{ machine_key('coalesce(u.resource_id, u.hostname)') }} as machine,
           {{ gpu_model_of('u.model_name') }} as telemetry_gpu_model
    from {{ ref('fct_gpu_utilization_hourly') }} as u

),

onprem as (

    select
        o.day,
        coalesce(k.resource_id, lower(o.host))                                  as resource_id,
        {{ machine_key('coalesce(k.resource_id, o.host)') }}                    as machine,
        ob.telemetry_gpu_model                                                  as gpu_model,
        'on_prem'                                                               as bought,
        o.gpu_hours,
        o.total_cost                                                            as cost,
        o.currency
    from {{ ref('fct_onprem_cost_daily') }} as o
    left join {{ ref('int_inventory__host_keys') }} as k on k.match_key = lower(o.host)
    left join observed as ob on ob.day = o.day and ob.machine = {{ machine_key('coalesce(k.resource_id, o.host)') }}

),

machine_days as (

    select c.*, costs.billing_currency as currency
    from cloud as c
    join (select distinct charge_date as day, resource_id, billing_currency from {{ ref('fct_cost') }}
          where resource_id is not null) as costs using (day, resource_id)
    union all by name
    select * from onprem

),

with_active as (

    select
        m.*,
        o.machine is not null                                                   as is_observed,
        coalesce(h.held_gpu_hours, 0) * m.gpu_hours
            / nullif(sum(m.gpu_hours) over (partition by m.day, m.machine), 0)  as active_gpu_hours
    from machine_days as m
    left join (select distinct day, machine from observed) as o using (day, machine)
    left join held as h using (day, machine)

)

select
    date_trunc('month', day)::date                                              as month,
    coalesce(gpu_model, 'unknown')                                              as gpu_model,
    bought                                                                      as purchase_option,
    currency,
    count(distinct machine)                                                     as machines,
    sum(gpu_hours)                                                              as gpu_hours,
    sum(cost)                                                                   as cost,
    cast(sum(cost) as double) / nullif(cast(sum(gpu_hours) as double), 0)       as cost_per_gpu_hour,
    cast(coalesce(sum(gpu_hours) filter (is_observed), 0) as double)
        / nullif(cast(sum(gpu_hours) as double), 0)                             as observed_share,
    cast(coalesce(sum(active_gpu_hours) filter (is_observed), 0) as decimal(38, 10)) as active_gpu_hours,
    cast(sum(cost) filter (is_observed) as double)
        / nullif(cast(sum(active_gpu_hours) filter (is_observed) as double), 0) as cost_per_active_gpu_hour
from with_active
group by all
