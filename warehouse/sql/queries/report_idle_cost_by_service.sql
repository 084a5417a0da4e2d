-- Idle GPU cost of the month per service (GPUs without a workload as '(no workload)'), largest first.
select coalesce(service, '(no workload)'), sum(idle_cost)
from marts.fct_gpu_efficiency_daily
where strftime(day, '%Y-%m') = $month and idle_cost is not null
group by 1
order by 2 desc
