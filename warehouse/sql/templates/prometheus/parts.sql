-- The batch's partitions, one (metric, day) each, numbered `part`.
create or replace temp table _prom_parts as
select unnest(range(len($metrics))) as part, unnest($metrics) as metric, cast(unnest($days) as date) as day,
       unnest($partition_keys) as partition_key, unnest($load_ids) as load_id
