-- Egress by provider and class (GB = 10^9 bytes; each transfer once, at its sending side)
select provider, egress_class, round(sum(gb), 1) as gb, currency, round(sum(billed_cost), 2) as billed
from marts.fct_egress_daily where egress_class <> 'inbound'
group by all order by billed desc, provider, egress_class
