-- The allocated cost of the latest day with cost and the day before, per currency.
select day, currency, sum(net_effective_cost)
from marts.fct_cost_allocation_daily
where day >= (select max(day) - 1 from marts.fct_cost_allocation_daily)
group by all
order by 1
