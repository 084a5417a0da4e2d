-- Rows the great-expectations suite fct_counter_resets_daily validates: the latest 7 days.
select *
from marts.fct_counter_resets_daily
where day > (select max(day) from marts.fct_counter_resets_daily) - interval 7 day
