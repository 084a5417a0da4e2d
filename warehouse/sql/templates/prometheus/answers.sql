{#- One row per series of every query_range answer of the batch, with the part its file belongs to (an error answer
    keeps one row, with no series, to be reported). DuckDB reads the JSON itself; its buffer holds the largest file
    (`max_object` bytes) and no more. -#}
create or replace temp table _prom_answers as
select row_number() over () as k, f.part, a.*
from (select filename, status, errorType, error, unnest(coalesce(data.result, [null])) as s
      from read_json($paths, format = 'auto', records = true, filename = true,
                     maximum_object_size = {{ max_object }},
                     columns = {'status': 'VARCHAR', 'errorType': 'VARCHAR', 'error': 'VARCHAR', 'data':
                        'STRUCT(resultType VARCHAR, result STRUCT(metric JSON, "values" VARCHAR[][])[])'})) as a
left join _prom_files as f using (filename)
