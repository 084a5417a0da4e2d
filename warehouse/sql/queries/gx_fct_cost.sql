-- Rows the great-expectations suite fct_cost validates: the latest billing month of every provider.
select * exclude (tags)
from marts.fct_cost
qualify billing_period_start = max(billing_period_start) over (partition by provider_name)
