-- Per partition of the batch, when a series was listed twice in one (its repeated points load once): the points it
-- loaded and its NaN points. The bound on sample_time lets DuckDB skip the other days by their zone maps.
select _partition, count(*), count(*) filter (where value is null)
from raw.prometheus_samples
where list_contains($load_ids, _load_id)
  and sample_time >= $first_day::timestamp and sample_time < $last_day::timestamp + interval 1 day
group by _partition
