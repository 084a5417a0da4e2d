-- How many series-days of a month ($month = 'YYYY-MM') marts.fct_cost_anomalies judged, and how many it could not
-- (too little history).
select count(*) filter (baseline_method <> 'insufficient_history'),
       count(*) filter (baseline_method = 'insufficient_history')
from marts.fct_cost_anomalies
where strftime(day, '%Y-%m') = $month
