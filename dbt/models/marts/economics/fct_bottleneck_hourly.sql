-- What limits each host in each hour, from DCGM profiling metrics averaged over its GPUs (evidence columns kept).
-- First match wins (thresholds are dbt vars, defaults in dbt_project.yml):
--   idle                  max(SM active, DRAM active) < gpu_idle_threshold (0.10)
--   compute-bound         tensor active >= bottleneck_compute_tensor_active (0.40)
--                         or SM active >= bottleneck_compute_sm_active (0.75)
--   memory-bound          DRAM active >= bottleneck_memory_dram_active (0.50) and DRAM active >= SM active
--   communication-bound   NVLink TX+RX >= bottleneck_comm_nvlink_gbps (20 GB/s per GPU) with the SMs below the
--                         compute threshold (GPUs waiting on each other)
--   input-bound           PCIe RX >= bottleneck_input_pcie_gbps (4 GB/s per GPU): the host feeds data faster
--                         than the GPUs use it, or the GPUs wait on it
--   underutilized         none of the above (busy, but nothing saturated)
-- Hours without the profiling metrics carry NULL evidence and the label 'unknown'.
with gpu as (

    -- per GPU and hour, from the incremental hourly figures (GPUs with profiling samples that hour)
    select
        hour_start, hostname, gpu_uuid,
        avg_sm_active     as sm_active,
        avg_tensor_active as tensor_active,
        avg_dram_active   as dram_active,
        avg_nvlink_gbps   as nvlink_gbps,
        avg_pcie_rx_gbps  as pcie_rx_gbps
    from {{ ref('int_telemetry__gpu_hourly') }}
    where profiling_samples > 0

),

host as (

    select
        hour_start, hostname,
        count(distinct gpu_uuid) as gpus,
        avg(sm_active)           as sm_active,
        avg(tensor_active)       as tensor_active,
        avg(dram_active)         as dram_active,
        avg(nvlink_gbps)         as nvlink_gbps,
        avg(pcie_rx_gbps)        as pcie_rx_gbps
    from gpu
    group by all

)

select
    *,
    case
        when sm_active is null then 'unknown'
        when greatest(sm_active, coalesce(dram_active, 0)) < {{ var('gpu_idle_threshold') }} then 'idle'
        when coalesce(tensor_active, 0) >= {{ var('bottleneck_compute_tensor_active') }}
          or sm_active >= {{ var('bottleneck_compute_sm_active') }} then 'compute-bound'
        when coalesce(dram_active, 0) >= {{ var('bottleneck_memory_dram_active') }}
         and dram_active >= sm_active then 'memory-bound'
        when nvlink_gbps >= {{ var('bottleneck_comm_nvlink_gbps') }} then 'communication-bound'
        when coalesce(pcie_rx_gbps, 0) >= {{ var('bottleneck_input_pcie_gbps') }} then 'input-bound'
        else 'underutilized'
    end as bottleneck
from host
