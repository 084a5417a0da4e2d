-- GPU-hours each workload's pods held per day and machine. A machine is named by machine_key of its inventory
-- resource id (a GCE VM's global name and an inventory's instance name agree); a host no inventory lists keeps its
-- own name (an on-prem host of the topology file is costed under it). Allocation, the GPU-hour price comparison and
-- the capacity mart all read GPU time held per machine from here.
select
    cast(g.hour_start as date)                                          as day,
    {{ machine_key('coalesce(k.resource_id, g.hostname)') }}            as machine,
    g.service,
    sum(g.gpu_hours_held)                                               as gpu_hours_held
from {{ ref('int_telemetry__gpu_time_hourly') }} as g
left join {{ ref('int_inventory__host_keys') }} as k on k.match_key = lower(g.hostname)
where g.service is not null
group by all
