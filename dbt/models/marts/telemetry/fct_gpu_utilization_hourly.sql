-- GPU utilization, power and energy per hour and GPU (MIG instances repeat the parent's power and energy; staging
-- keeps one reading per GPU and time, so they are counted once). coverage = share of the hour's minutes with at
-- least one sample. service = the pod's Deployment name. energy_kwh comes from the energy counter (resets handled);
-- energy_from_power_kwh integrates the power gauge, as a cross-check. provider / resource_id / instance_type come
-- from the host inventory, matched on the host name (EKS node = EC2 private DNS name, GKE node = GCE instance, the
-- hosts CSV on-prem) or, failing that, on the scrape's IP; NULL when the host is in no inventory.
with samples as (

    select * from {{ ref('stg_telemetry__samples') }}
    where metric like 'DCGM_%'

),

energy as (

    select
        date_trunc('hour', sample_time) as hour_start,
        gpu_uuid,
        sum(increment) / 3.6e9          as energy_kwh,     -- mJ -> kWh
        count(*) filter (is_reset)      as energy_counter_resets
    from {{ ref('int_telemetry__counter_deltas') }}
    where metric = 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION'
    group by all

),

hourly as (

    select
        date_trunc('hour', sample_time)                                          as hour_start,
        gpu_uuid,
        any_value(hostname)                                                      as hostname,
        any_value(split_part(instance, ':', 1)) filter (instance is not null)     as host_ip,
        any_value(model_name) filter (model_name is not null)                    as model_name,
        any_value(service) filter (service is not null)                         as service,
        count(*)                                                                 as samples,
        least(1.0, count(distinct date_trunc('minute', sample_time)) / 60.0)     as coverage,
        avg(value) filter (metric = 'DCGM_FI_DEV_GPU_UTIL')                      as avg_gpu_util_pct,
        avg(value) filter (metric = 'DCGM_FI_PROF_SM_ACTIVE')                    as avg_sm_active,
        avg(value) filter (metric = 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE')           as avg_tensor_active,
        avg(value) filter (metric = 'DCGM_FI_PROF_DRAM_ACTIVE')                  as avg_dram_active,
        avg(value) filter (metric = 'DCGM_FI_DEV_POWER_USAGE')                   as avg_power_w,
        max(value) filter (metric = 'DCGM_FI_DEV_FB_USED')                       as max_fb_used_mib,
        count(*) filter (metric = 'DCGM_FI_DEV_XID_ERRORS' and value > 0)        as xid_error_samples
    from samples
    group by all

)

select
    hourly.* exclude (host_ip),
    coalesce(by_name.provider, by_ip.provider)                       as provider,
    coalesce(by_name.resource_id, by_ip.resource_id)                 as resource_id,
    coalesce(by_name.instance_type, by_ip.instance_type)             as instance_type,
    coalesce(by_name.account, by_ip.account)                         as account,
    energy.energy_kwh,
    -- cross-check: average power over the observed part of the hour
    hourly.avg_power_w * hourly.coverage / 1000.0 as energy_from_power_kwh,
    coalesce(energy.energy_counter_resets, 0) as energy_counter_resets
from hourly
left join energy using (hour_start, gpu_uuid)
left join {{ ref('int_inventory__host_keys') }} as by_name on by_name.match_key = lower(hourly.hostname)
left join {{ ref('int_inventory__host_keys') }} as by_ip on by_ip.match_key = hourly.host_ip
