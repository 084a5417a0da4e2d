{#- The good points, each (series, time) once per part: when a series is listed twice in a part (`repeated_series`),
    its points are ranked (bad ones included, by file and position) and the first loads. -#}
insert into raw.prometheus_samples
select sample_time, name, series_id, value, partition_key, filename, load_id, now()
from (
    select p.sample_time, p.value, p._reason, s.name, s.series_id, s.filename, s.partition_key, s.load_id,
           {% if repeated_series %}row_number() over (partition by s.part, s.series_id, p.ts order by s.filename, s.k){% else %}1{% endif %} as _rank
    from _prom_points p join _prom_series s using (k)
)
where _reason is null and _rank = 1
