-- Rejected rows of one staged file (every day's: each day's partition keeps its file's bad rows), with the reason.
insert into quarantine.power_readings
select $partition_key, $load_id, $path, line, _reason, to_json({'timestamp': ts_text, 'device': device, 'value': v}),
       now()
from {{ table | relation }} where _reason is not null
