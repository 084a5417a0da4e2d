-- Rows the great-expectations suite fct_training_daily validates: the latest 7 days.
select *
from marts.fct_training_daily
where day > (select max(day) from marts.fct_training_daily) - interval 7 day
