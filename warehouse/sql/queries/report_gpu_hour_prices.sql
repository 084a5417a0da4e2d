-- Cloud vs on-prem per GPU-hour of a month ($month = 'YYYY-MM'): per GPU model and purchase option.
select gpu_model                                                                    as gpu,
       purchase_option                                                              as bought,
       currency,
       machines,
       round(gpu_hours, 1)                                                          as gpu_hours,
       round(cost, 2)                                                               as cost,
       round(cost_per_gpu_hour, 4)                                                  as per_gpu_hour,
       round(observed_share, 4)                                                     as observed,
       round(cost_per_active_gpu_hour, 4)                                           as per_active_gpu_hour
from marts.fct_gpu_hour_price_comparison
where strftime(month, '%Y-%m') = $month
order by gpu, per_gpu_hour desc
