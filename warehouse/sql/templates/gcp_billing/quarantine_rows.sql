-- Rows that did not pass, whole (the raw line when it is not JSON), with the reason.
insert into quarantine.gcp_billing_export
select $partition_key, $load_id, filename, file_row_number, _reason, coalesce(_j, to_json({'line': _line})), now()
from _gcp_judged2 where _reason is not null
