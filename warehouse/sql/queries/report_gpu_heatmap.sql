-- GPU activity by host and hour of day over the month: the mean of max(SM active, DRAM active) of observed hours.
select hostname, hour(hour_start), avg(greatest(coalesce(avg_sm_active, 0), coalesce(avg_dram_active, 0)))
from marts.fct_gpu_utilization_hourly
where strftime(hour_start, '%Y-%m') = $month and coverage > 0
group by all
