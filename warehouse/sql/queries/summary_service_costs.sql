-- Per service, the month's amortized cost and unit costs (the unallocated rows are read with their reasons).
select service, currency, net_cost_amortized, requests, cost_per_1k_requests, cost_per_1m_tokens, gpu_hours, cost_note
from marts.fct_service_costs_monthly
where month = cast($month || '-01' as date) and unallocated_reason is null
order by net_cost_amortized desc nulls last, service
