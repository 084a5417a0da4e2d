-- Rows the great-expectations suite fct_unit_economics_daily validates: the latest 7 days.
select *
from marts.fct_unit_economics_daily
where day > (select max(day) from marts.fct_unit_economics_daily) - interval 7 day
