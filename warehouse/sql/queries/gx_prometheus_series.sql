-- Rows the great-expectations suite prometheus_series validates: every series.
select * exclude (series_labels)
from raw.prometheus_series
