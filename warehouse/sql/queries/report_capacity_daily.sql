-- Stranded GPU-hours per day and cluster of a month ($month = 'YYYY-MM').
select cast(hour_start as date), cluster, sum(stranded_gpu_hours)
from marts.fct_gpu_capacity_hourly
where strftime(hour_start, '%Y-%m') = $month
group by all
