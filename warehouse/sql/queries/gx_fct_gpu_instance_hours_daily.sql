-- Rows the great-expectations suite fct_gpu_instance_hours_daily validates: the latest 7 days.
select *
from marts.fct_gpu_instance_hours_daily
where charge_date > (select max(charge_date) from marts.fct_gpu_instance_hours_daily) - interval 7 day
