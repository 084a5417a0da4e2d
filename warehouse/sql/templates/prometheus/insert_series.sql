-- Series not stored yet, once each.
insert into raw.prometheus_series
select series_id, any_value(name), any_value(labels), any_value(hostname), any_value(gpu_uuid),
       any_value(gpu_i_id), any_value(pod), any_value(instance), $load_id
from _prom_series
where series_id not in (select series_id from raw.prometheus_series)
group by series_id
