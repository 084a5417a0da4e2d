-- Rows the great-expectations suite fct_cost_anomalies validates: the latest 7 days.
select *
from marts.fct_cost_anomalies
where day > (select max(day) from marts.fct_cost_anomalies) - interval 7 day
