-- One quarantine table's rows, newest first.
select partition_key, source_file, source_row, reason, cast(record as varchar)
from quarantine.{{ table | ident }}
order by quarantined_at desc, source_file, source_row limit $limit
