-- Rows the great-expectations suite fct_gpu_capacity_hourly validates: the latest 7 days.
select *
from marts.fct_gpu_capacity_hourly
where hour_start > (select max(hour_start) from marts.fct_gpu_capacity_hourly) - interval 7 day
