-- GPU-hours billed by instance type and purchase option
select instance_type, purchase_option, round(sum(gpu_hours), 1) as gpu_hours,
       round(sum(effective_cost), 2) as effective_usd,
       round(sum(effective_cost) / nullif(sum(gpu_hours), 0), 4) as effective_usd_per_gpu_hour
from marts.fct_gpu_instance_hours_daily group by all order by gpu_hours desc, instance_type, purchase_option
