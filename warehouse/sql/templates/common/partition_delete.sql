-- Delete one partition of a raw table (a replace, inside the load's transaction).
delete from {{ target | relation }}
where {{ partition_column | ident }} = $partition_key
{% if day %}
  and sample_time >= $day::timestamp and sample_time < $day::timestamp + interval 1 day
{% endif %}
