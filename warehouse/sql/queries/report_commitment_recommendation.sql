-- Baseline vs burst as of the bill's newest hour (fct_commitment_recommendation holds the latest look-back only):
-- per region and GPU model, the steady baseline, what is committed, what to commit more and the monthly saving.
select region_id                                                                    as region,
       gpu_model                                                                    as gpu,
       billing_currency                                                             as currency,
       hours_observed                                                               as hours,
       round(baseline_gpu_hours_per_hour, 2)                                        as baseline,
       round(committed_gpu_hours_per_hour, 2)                                       as committed,
       round(to_commit_gpu_hours_per_hour, 2)                                       as to_commit,
       round(on_demand_rate_per_gpu_hour, 4)                                        as on_demand_rate,
       round(committed_rate_per_gpu_hour, 4)                                        as committed_rate,
       round(monthly_saving, 2)                                                     as monthly_saving
from marts.fct_commitment_recommendation
order by monthly_saving desc nulls last, region, gpu
