-- The months ('YYYY-MM') with allocated cost, oldest first.
select distinct strftime(day, '%Y-%m') from marts.fct_cost_allocation_daily order by 1
