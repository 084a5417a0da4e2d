-- Cost per 1,000 requests (amortized) per service and day of the month, days with requests only.
select day, service, cost_per_1k_requests_amortized
from marts.fct_unit_economics_daily
where strftime(day, '%Y-%m') = $month and requests > 0
order by 1, 2
