-- GPU utilization by machine (telemetry joined to the inventory)
select provider, instance_type, hostname, count(distinct gpu_uuid) as gpus,
       round(sum(coverage), 1) as observed_gpu_hours, round(avg(avg_sm_active), 3) as avg_sm_active,
       round(sum(energy_kwh), 1) as energy_kwh
from marts.fct_gpu_utilization_hourly group by all order by provider, instance_type, hostname
