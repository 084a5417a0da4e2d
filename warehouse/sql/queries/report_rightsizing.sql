-- Right-sizing over the look-back that ends at the newest DCGM sample: per service and GPU model, the cheapest GPU
-- or MIG profile it fits and the monthly saving.
select service,
       gpu_model                                                                    as gpu,
       currency,
       purchase_option                                                              as bought,
       round(p95_sm_active, 3)                                                      as p95_sm,
       round(peak_fb_share, 3)                                                      as peak_memory_share,
       round(current_cost_per_gpu_hour, 4)                                          as per_gpu_hour,
       recommendation,
       round(recommended_cost_per_gpu_hour, 4)                                      as recommended_per_gpu_hour,
       round(monthly_saving, 2)                                                     as monthly_saving,
       hours_observed,
       confidence
from marts.fct_gpu_rightsizing
order by monthly_saving desc, service, gpu
