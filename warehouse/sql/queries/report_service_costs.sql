-- Per service, the month's cost (amortized, billed), unit costs, GPU-hours, energy and share of the month's cost;
-- the unallocated rows are read separately (with their reasons).
select
    service,
    cast(requests as bigint),
    cast(round(net_cost_amortized, 2) as decimal(38, 2)),
    cast(round(net_cost_billed, 2) as decimal(38, 2)),
    cast(round(cost_per_1k_requests, 4) as decimal(38, 4)),
    cast(round(cost_per_1m_tokens, 4) as decimal(38, 4)),
    round(gpu_hours, 1),
    round(kwh_per_1k_requests, 4),
    share_of_month
from marts.fct_service_costs_monthly
where month = cast($month || '-01' as date) and unallocated_reason is null
order by net_cost_amortized desc nulls last, service
