-- The latest month's totals per currency: amortized, billed and unallocated (amortized).
select strftime(month, '%Y-%m'), currency, net_cost_amortized, net_cost_billed, unallocated_amortized
from marts.fct_headline_monthly
where month = (select max(month) from marts.fct_headline_monthly)
order by currency
