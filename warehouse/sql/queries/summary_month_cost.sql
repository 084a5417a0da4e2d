-- The month's cost per billing currency in both views.
select currency, net_cost_amortized, net_cost_billed
from marts.fct_headline_monthly
where month = cast($month || '-01' as date)
order by currency
