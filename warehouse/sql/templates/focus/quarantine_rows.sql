-- The rows that did not pass, whole, with the reason.
insert into quarantine.focus_cost_rows
select $partition_key, $load_id, filename, file_row_number, _reason, _record, now()
from _focus_judged where _reason is not null
