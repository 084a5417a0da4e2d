-- The good points, each (series, time) once.
insert into raw.prometheus_samples
select sample_time, name, series_id, value, $partition_key, filename, $load_id, now()
from _prom_points where _reason is null and _rank = 1
