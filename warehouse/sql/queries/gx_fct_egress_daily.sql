-- Rows the great-expectations suite fct_egress_daily validates: the latest 7 days.
select *
from marts.fct_egress_daily
where day > (select max(day) from marts.fct_egress_daily) - interval 7 day
