-- Series not stored yet, once each (with the load of the batch's first part that has it).
insert into raw.prometheus_series
select series_id, arg_min(name, part), arg_min(labels, part), arg_min(hostname, part), arg_min(gpu_uuid, part),
       arg_min(gpu_i_id, part), arg_min(pod, part), arg_min(instance, part), arg_min(load_id, part)
from _prom_series
where series_id not in (select series_id from raw.prometheus_series)
group by series_id
