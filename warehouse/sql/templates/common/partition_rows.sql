-- The rows of one partition of a raw table (counted before it is replaced). With a day, the bound on sample_time
-- lets DuckDB skip the other days by their zone maps (a string partition key's statistics keep only a prefix).
select count(*) from {{ target | relation }}
where {{ partition_column | ident }} = $partition_key
{% if day %}
  and sample_time >= $day::timestamp and sample_time < $day::timestamp + interval 1 day
{% endif %}
