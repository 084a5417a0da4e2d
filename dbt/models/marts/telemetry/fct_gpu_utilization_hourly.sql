-- GPU utilization, power and energy per hour and GPU (MIG instances repeat the parent's power and energy; staging
-- keeps one reading per GPU and time, so they are counted once). coverage = share of the hour's minutes with at
-- least one sample. service = the pod's Deployment name. energy_kwh comes from the energy counter (resets handled);
-- energy_from_power_kwh integrates the power gauge, as a cross-check. provider / resource_id / instance_type come
-- from the host inventory, matched on the host name (EKS node = EC2 private DNS name, GKE node = GCE instance, the
-- hosts CSV on-prem) or, failing that, on the scrape's IP; NULL when the host is in no inventory.
-- The hourly figures come from the incremental int_telemetry__gpu_hourly; the inventory is joined here on every
-- build, so a host added to an inventory later is matched on its past hours too.
with hourly as (

    select * {{ star_except() }} (profiling_samples, avg_nvlink_gbps, avg_pcie_rx_gbps, energy_kwh, energy_counter_resets,
                      sample_day, _built_at),
           energy_kwh, energy_counter_resets
    from {{ ref('int_telemetry__gpu_hourly') }}

)

select
    hourly.* {{ star_except() }} (host_ip, energy_kwh, energy_counter_resets),
    coalesce(by_name.provider, by_ip.provider)                       as provider,
    coalesce(by_name.resource_id, by_ip.resource_id)                 as resource_id,
    coalesce(by_name.instance_type, by_ip.instance_type)             as instance_type,
    coalesce(by_name.account, by_ip.account)                         as account,
    hourly.energy_kwh,
    -- cross-check: average power over the observed part of the hour
    hourly.avg_power_w * hourly.coverage / cast(1000 as double) as energy_from_power_kwh,
    hourly.energy_counter_resets
from hourly
left join {{ ref('int_inventory__host_keys') }} as by_name on by_name.match_key = lower(hourly.hostname)
left join {{ ref('int_inventory__host_keys') }} as by_ip on by_ip.match_key = hourly.host_ip
