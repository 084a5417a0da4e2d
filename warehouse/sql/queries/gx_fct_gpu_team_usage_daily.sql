-- Rows the great-expectations suite fct_gpu_team_usage_daily validates: the latest 7 days.
select *
from marts.fct_gpu_team_usage_daily
where day > (select max(day) from marts.fct_gpu_team_usage_daily) - interval 7 day
