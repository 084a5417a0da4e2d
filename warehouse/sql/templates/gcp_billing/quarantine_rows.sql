-- Rows that did not pass, whole (the raw line when it is not JSON), with the reason: the line read again from the
-- stage for these rows alone.
insert into quarantine.gcp_billing_export
select $partition_key, $load_id, j.filename, j.file_row_number, j._reason,
       case when j._is_json then s._line::json else to_json({'line': s._line}) end, now()
from _gcp_judged j
join _gcp_stage s on s.filename = j.filename and s.file_row_number = j.file_row_number
where j._reason is not null
