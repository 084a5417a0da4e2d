-- Rows the great-expectations suite prometheus_samples validates: the metric and day of the latest successful load.
select p.sample_time, p.metric, p.series_id, p.value, s.hostname, s.gpu_uuid, s.instance
from raw.prometheus_samples p
join raw.prometheus_series s using (series_id)
where p._load_id = $load_id
