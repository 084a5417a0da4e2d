-- Rows the great-expectations suite fct_gpu_efficiency_daily validates: the latest 7 days.
select *
from marts.fct_gpu_efficiency_daily
where day > (select max(day) from marts.fct_gpu_efficiency_daily) - interval 7 day
