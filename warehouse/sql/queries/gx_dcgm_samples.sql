-- Rows the great-expectations suite dcgm_samples validates: the rows of the latest successful load.
select *
from raw.dcgm_samples
where _load_id = $load_id
