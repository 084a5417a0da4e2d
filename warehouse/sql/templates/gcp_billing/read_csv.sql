-- One CSV export file, every column as text (nested fields flattened to dotted headers).
create or replace temp table {{ table | relation }} as
select * exclude (filename), filename, cast(row_number() over () - 1 as bigint) as file_row_number
from read_csv($path, all_varchar = true, header = true, filename = true)
