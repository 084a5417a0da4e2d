-- The billing currencies of a month ($month = 'YYYY-MM') in the allocated cost.
select distinct currency
from marts.fct_cost_allocation_daily
where strftime(day, '%Y-%m') = $month
order by 1
