-- Cost by provider and service (net of negotiated discounts; billed = invoice view, effective = amortized)
select provider_name, tag_service as service, billing_currency as currency,
       round(sum(net_billed_cost), 2) as net_billed, round(sum(net_effective_cost), 2) as net_effective
from marts.fct_cost_daily group by all order by net_billed desc, provider_name, service
