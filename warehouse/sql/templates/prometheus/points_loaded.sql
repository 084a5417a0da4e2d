-- Per partition of the batch: the points it loaded, and its NaN points (stored as NULL values: a gap the marts see).
-- The bound on sample_time lets DuckDB skip the other days by their zone maps.
select _partition, count(*), count(*) filter (where value is null)
from raw.prometheus_samples
where _load_id in (select load_id from _prom_parts)
  and sample_time >= (select min(day) from _prom_parts)::timestamp
  and sample_time < (select max(day) from _prom_parts)::timestamp + interval 1 day
group by _partition
