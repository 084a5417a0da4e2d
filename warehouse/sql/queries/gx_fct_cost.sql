-- Rows the great-expectations suite fct_cost validates: the latest billing month of every provider. A join on each
-- provider's latest month, not a window over every row: large frames are validated in chunks, each selected by a
-- filter on cost_id that reaches the scan here (behind a window it could not: 0.4 s a chunk instead of 0.9-1.3 s
-- at 8 million rows). A NULL provider is a provider of its own, as it is to the window's partitions.
select f.* exclude (tags)
from marts.fct_cost f
join (select provider_name, max(billing_period_start) as latest_month from marts.fct_cost group by provider_name) m
  on f.provider_name is not distinct from m.provider_name and f.billing_period_start = m.latest_month
