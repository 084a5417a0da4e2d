-- Rows the great-expectations suite fct_service_costs_monthly validates: the latest 2 months.
select *
from marts.fct_service_costs_monthly
where month >= (select max(month) from marts.fct_service_costs_monthly) - interval 1 month
