-- The month's totals per billing currency, money rounded to cents and unit costs to 4 places (the report's tiles).
select
    currency,
    cast(round(net_cost_amortized, 2) as decimal(38, 2)),
    cast(round(net_cost_billed, 2) as decimal(38, 2)),
    cast(round(unallocated_amortized, 2) as decimal(38, 2)),
    cast(requests as bigint),
    cast(round(cost_per_1k_requests, 4) as decimal(38, 4)),
    cast(round(cost_per_1m_tokens, 4) as decimal(38, 4)),
    round(gpu_hours, 1),
    cast(round(idle_cost, 2) as decimal(38, 2)),
    round(egress_gb, 1),
    round(it_kwh, 1),
    pue
from marts.fct_headline_monthly
where month = cast($month || '-01' as date)
order by currency
