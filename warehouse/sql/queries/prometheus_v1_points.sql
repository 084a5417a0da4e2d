-- Upgrade from 0.2: the points, each naming its series by id.
insert into raw.prometheus_samples
select sample_time, metric, hash(list_sort(map_entries(cast(series_labels as map(varchar, varchar))))), value,
       _partition, _source_file, _load_id, _loaded_at
from raw.prometheus_samples_v1
