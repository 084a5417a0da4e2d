-- Per hour and GPU: sample coverage, utilization and profiling averages, power, framebuffer, XID samples and the
-- energy counter's increments (resets handled). The heavy part of fct_gpu_utilization_hourly and
-- fct_bottleneck_hourly, which add the host inventory and the labels on top (cheap, always rebuilt, so a host that
-- appears in an inventory later is matched on every hour).
-- Incremental: an hour depends only on its own samples and counter increments, so only the days with newly loaded
-- raw samples are rebuilt (macros/incremental.sql).
{{ config(materialized='incremental', incremental_strategy=by_day_strategy(), unique_key='sample_day',
          partition_by=('sample_day' if target.type == 'spark' else none),
          pre_hook="{{ clear_rebuilt_days('sample_day', telemetry_changed_from()) }}") }}
{% set changed_from = telemetry_changed_from() %}
with samples as (

    select * from {{ ref('stg_telemetry__samples') }}
    where metric like 'DCGM_%'
      {% if changed_from %}and sample_time >= date '{{ changed_from }}'{% endif %}

),

energy as (

    select
        date_trunc('hour', sample_time) as hour_start,
        gpu_uuid,
        sum(increment) / 3.6e9          as energy_kwh,     -- mJ -> kWh
        count(*) filter (where is_reset)      as energy_counter_resets
    from {{ ref('int_telemetry__counter_deltas') }}
    where metric = 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION'
      {% if changed_from %}and sample_time >= date '{{ changed_from }}'{% endif %}
    group by all

),

hourly as (

    select
        date_trunc('hour', sample_time)                                          as hour_start,
        gpu_uuid,
        {{ any_non_null('hostname') }}                                                      as hostname,
        {{ any_non_null("split_part(instance, ':', 1)") }} filter (where instance is not null)     as host_ip,
        {{ any_non_null('model_name') }} filter (where model_name is not null)                    as model_name,
        {{ any_non_null('service') }} filter (where service is not null)                         as service,
        count(*)                                                                 as samples,
        least(1.0, count(distinct date_trunc('minute', sample_time)) / cast(60 as double))     as coverage,
        avg(value) filter (where metric = 'DCGM_FI_DEV_GPU_UTIL')                      as avg_gpu_util_pct,
        avg(value) filter (where metric = 'DCGM_FI_PROF_SM_ACTIVE')                    as avg_sm_active,
        avg(value) filter (where metric = 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE')           as avg_tensor_active,
        avg(value) filter (where metric = 'DCGM_FI_PROF_DRAM_ACTIVE')                  as avg_dram_active,
        avg(value) filter (where metric = 'DCGM_FI_DEV_POWER_USAGE')                   as avg_power_w,
        max(value) filter (where metric = 'DCGM_FI_DEV_FB_USED')                       as max_fb_used_mib,
        count(*) filter (where metric = 'DCGM_FI_DEV_XID_ERRORS' and value > 0)        as xid_error_samples,
        -- profiling evidence for fct_bottleneck_hourly (GB/s)
        count(*) filter (where metric like 'DCGM!_FI!_PROF!_%' escape '!')             as profiling_samples,
        (coalesce(avg(value) filter (where metric = 'DCGM_FI_PROF_NVLINK_TX_BYTES'), 0)
         + coalesce(avg(value) filter (where metric = 'DCGM_FI_PROF_NVLINK_RX_BYTES'), 0)) / 1e9 as avg_nvlink_gbps,
        avg(value) filter (where metric = 'DCGM_FI_PROF_PCIE_RX_BYTES') / 1e9          as avg_pcie_rx_gbps
    from samples
    group by all

)

select
    hourly.*,
    energy.energy_kwh,
    coalesce(energy.energy_counter_resets, 0) as energy_counter_resets,
    cast(hourly.hour_start as date)            as sample_day,
    now()                                      as _built_at
from hourly
left join energy using (hour_start, gpu_uuid)
