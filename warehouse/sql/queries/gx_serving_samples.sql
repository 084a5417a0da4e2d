-- Rows the great-expectations suite serving_samples validates: the rows of the latest successful load.
select * exclude (series_labels)
from raw.serving_samples
where _load_id = $load_id
