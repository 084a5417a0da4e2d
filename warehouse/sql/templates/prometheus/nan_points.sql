-- NaN points of the partition (stored as NULL values: a gap the marts see).
select count(*) from raw.prometheus_samples
where _partition = $partition_key and value is null
  and sample_time >= $day::timestamp and sample_time < $day::timestamp + interval 1 day
