-- Rows the great-expectations suite fct_onprem_cost_daily validates: the latest 7 days.
select *
from marts.fct_onprem_cost_daily
where day > (select max(day) from marts.fct_onprem_cost_daily) - interval 7 day
