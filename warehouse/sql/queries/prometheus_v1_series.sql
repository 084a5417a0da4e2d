-- Upgrade from 0.2: the series of the points that carried their labels, once each.
insert into raw.prometheus_series
select hash(list_sort(map_entries(cast(series_labels as map(varchar, varchar))))), any_value(metric),
       any_value(series_labels), any_value(hostname), any_value(gpu_uuid), any_value(gpu_i_id), any_value(pod),
       any_value(json_extract_string(series_labels, '$.instance')), any_value(_load_id)
from raw.prometheus_samples_v1
group by hash(list_sort(map_entries(cast(series_labels as map(varchar, varchar)))))
