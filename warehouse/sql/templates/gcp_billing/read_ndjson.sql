-- One NDJSON file as raw lines (a line that is not JSON is judged later, not lost); lines the reader cannot decode
-- (invalid UTF-8) are kept in _gcp_rejects.
create or replace temp table {{ table | relation }} as
select column0 as _line, filename, cast(row_number() over () - 1 as bigint) as file_row_number
from read_csv($path, columns = {'column0': 'varchar'}, header = false, delim = '\x1f', quote = '', escape = '',
              filename = true, strict_mode = false, store_rejects = true,
              rejects_table = '_gcp_rejects', rejects_scan = '_gcp_rejects_scan')
