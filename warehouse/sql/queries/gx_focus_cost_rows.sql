-- Rows the great-expectations suite focus_cost_rows validates: the billing period of the latest successful load.
select * exclude (tags, sku_price_details, _coercions, _extra_columns)
from raw.focus_cost_rows
where _partition = $partition
