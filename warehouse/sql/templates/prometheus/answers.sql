{#- One row per series of every query_range answer of the batch (an error answer keeps one row, with no series, to be
    reported), with what its file belongs to: the part (the batch's n-th partition), its metric, day, partition key
    and load. Taken from the parameter lists by the file's position in `paths`: a join here would copy every series'
    points. DuckDB reads the JSON itself; its buffer holds the largest file (`max_object` bytes) and no more. -#}
create or replace temp table _prom_answers as
select row_number() over () as k, ($file_parts)[i] as part, ($file_metrics)[i] as part_metric,
       cast(($file_days)[i] as timestamp) as day_start, ($file_keys)[i] as partition_key,
       ($file_load_ids)[i] as load_id, * exclude (i)
from (select list_position($paths, filename) as i, filename, status, errorType, error,
             unnest(coalesce(data.result, [null])) as s
      from read_json($paths, format = 'auto', records = true, filename = true,
                     maximum_object_size = {{ max_object }},
                     columns = {'status': 'VARCHAR', 'errorType': 'VARCHAR', 'error': 'VARCHAR', 'data':
                        'STRUCT(resultType VARCHAR, result STRUCT(metric JSON, "values" VARCHAR[][])[])'}))
