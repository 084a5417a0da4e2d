-- Rows that did not pass, whole (the raw line when it is not JSON), with the reason.
insert into quarantine.gcp_billing_export
select $partition_key, $load_id, filename, file_row_number, _reason, case when _is_json then _line::json else to_json({'line': _line}) end, now()
from _gcp_judged2 where _reason is not null
