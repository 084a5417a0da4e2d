-- New samples that passed, once each.
insert into {{ target | relation }}
select {% for c in columns %}{{ c | ident }}, {% endfor %}file, line_no, $load_id, now()
from _scrape_judged
where _reason is null and not _present and _rank = 1
