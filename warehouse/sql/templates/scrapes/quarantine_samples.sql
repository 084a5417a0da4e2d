-- Samples without a required label, with the reason.
insert into {{ quarantine | relation }}
select 'scrapes', $load_id, file, line_no, _reason, to_json({'metric': metric}), now()
from _scrape_judged where _reason is not null
