-- Rows the great-expectations suite aws_spot_prices validates: the rows of the latest successful load.
select *
from raw.aws_spot_prices
where _load_id = $load_id
