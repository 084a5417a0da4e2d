-- Rows the great-expectations suite fct_spot_interruptions_daily validates: the latest 7 days.
select *
from marts.fct_spot_interruptions_daily
where day > (select max(day) from marts.fct_spot_interruptions_daily) - interval 7 day
