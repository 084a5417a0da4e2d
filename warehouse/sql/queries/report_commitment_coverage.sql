-- GPU-hours of a month ($month = 'YYYY-MM') per service and GPU model by how they were bought, and the commitment
-- coverage of the commitment-eligible hours (committed / (committed + on demand)).
select service, gpu_model,
       round(sum(committed_gpu_hours), 1)                                          as committed,
       round(sum(on_demand_gpu_hours), 1)                                          as on_demand,
       round(sum(spot_gpu_hours), 1)                                               as spot,
       round(sum(on_prem_gpu_hours), 1)                                            as on_prem,
       round(cast(sum(committed_gpu_hours) as double)
             / nullif(cast(sum(committed_gpu_hours) + sum(on_demand_gpu_hours) as double), 0), 4)
                                                                                   as coverage
from marts.fct_commitment_coverage_daily
where strftime(charge_date, '%Y-%m') = $month
group by all
order by service, gpu_model
