-- Each GPU machine's day with its cost and how it was bought, from our own figures:
--   cloud     fct_gpu_instance_hours_daily: net effective (amortized) cost and billed GPU-hours, by purchase option
--             (committed = Savings Plan, reservation or committed use discount); a VM partly under a commitment has
--             one row per option;
--   on_prem   fct_onprem_cost_daily: total cost over the host's GPUs x 24, GPU model from its telemetry;
--   active    the GPU-hours pods held that day (int_telemetry__machine_gpu_time_daily), shared among a machine-day's
--             purchase options by GPU-hours; is_observed says telemetry saw the machine that day at all.
-- Machines are matched by machine_key (the last part of the resource id). Read by fct_gpu_hour_price_comparison
-- and fct_gpu_capacity_hourly.
with cloud as (

    select
        charge_date                                                             as day,
        resource_id,
        {{ machine_key('resource_id') }}                                        as machine,
        'cloud'                                                                 as location,
        gpu_model,
        case when purchase_option in ('savings_plan', 'reserved', 'committed_use', 'commitment') then 'committed'
             else purchase_option end                                           as purchase_option,
        gpu_hours,
        net_effective_cost                                                      as cost
    from {{ ref('fct_gpu_instance_hours_daily') }}

),

held as (

    select day, machine, sum(gpu_hours_held) as held_gpu_hours
    from {{ ref('int_telemetry__machine_gpu_time_daily') }}
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
        'on_prem'                                                               as location,
        ob.telemetry_gpu_model                                                  as gpu_model,
        'on_prem'                                                               as purchase_option,
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
    {{ union_all_by_name() }}
    select * from onprem

)

select
    m.day, m.machine, m.resource_id, m.location, m.gpu_model, m.purchase_option, m.currency, m.gpu_hours, m.cost,
    o.machine is not null                                                       as is_observed,
    coalesce(h.held_gpu_hours, 0) * m.gpu_hours
        / nullif(sum(m.gpu_hours) over (partition by m.day, m.machine), 0)      as active_gpu_hours
from machine_days as m
left join (select distinct day, machine from observed) as o using (day, machine)
left join held as h using (day, machine)
