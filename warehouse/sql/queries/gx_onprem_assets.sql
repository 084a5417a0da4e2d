-- Rows the great-expectations suite onprem_assets validates: the on-prem hardware register.
select *
from raw.onprem_assets
