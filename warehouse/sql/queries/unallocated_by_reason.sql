-- The month's unallocated cost per reason and currency in both views, largest amortized first.
select unallocated_reason, currency, net_cost_amortized, net_cost_billed, share_of_month
from marts.fct_service_costs_monthly
where month = cast($month || '-01' as date) and service = 'unallocated'
order by net_cost_amortized desc, unallocated_reason
