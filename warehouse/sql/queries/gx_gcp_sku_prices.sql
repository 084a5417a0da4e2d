-- Rows the great-expectations suite gcp_sku_prices validates: the rows of the latest successful load.
select *
from raw.gcp_sku_prices
where _load_id = $load_id
