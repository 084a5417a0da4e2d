-- The bad points with their series' labels and the reason.
insert into quarantine.prometheus_samples
select s.partition_key, s.load_id, s.filename, null, _reason, to_json({'labels': s.labels, 'point': point}), now()
from _prom_points p join _prom_series s using (k)
where _reason is not null
