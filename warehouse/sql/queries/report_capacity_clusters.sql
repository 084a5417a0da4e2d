-- GPU capacity per cluster over a month ($month = 'YYYY-MM'): held, free and stranded GPU-hours and what they cost.
select cluster,
       currency,
       max(gpus_present)                                                            as gpus,
       round(sum(held_gpu_hours), 1)                                                as held,
       round(sum(free_gpu_hours), 1)                                                as free,
       round(sum(stranded_gpu_hours), 1)                                            as stranded,
       round(sum(held_gpu_hours) / nullif(sum(observed_gpu_hours), 0), 4)           as held_share,
       min(largest_free_block)                                                      as smallest_free_block,
       round(sum(free_cost), 2)                                                     as free_cost,
       round(sum(stranded_cost), 2)                                                 as stranded_cost
from marts.fct_gpu_capacity_hourly
where strftime(hour_start, '%Y-%m') = $month
group by all
order by stranded_cost desc, cluster
