-- Rows the great-expectations suite fct_gpu_hour_price_comparison validates: the latest two months.
select *
from marts.fct_gpu_hour_price_comparison
where month >= (select max(month) from marts.fct_gpu_hour_price_comparison) - interval 1 month
