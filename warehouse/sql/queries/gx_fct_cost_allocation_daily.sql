-- Rows the great-expectations suite fct_cost_allocation_daily validates: the latest 7 days.
select *
from marts.fct_cost_allocation_daily
where day > (select max(day) from marts.fct_cost_allocation_daily) - interval 7 day
