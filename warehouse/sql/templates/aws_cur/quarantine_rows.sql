{#- The rejected rows whole (every source column as JSON), with their reason. -#}
insert into {{ quarantine | relation }}
select $billing_period, $load_id, s.filename, s.file_row_number, r._reason,
       to_json(struct_pack({% for c in present %}{{ c | ident }} := s.{{ c | ident }}{% if not loop.last %}, {% endif %}{% endfor %})),
       $loaded_at
from _cur_stage s join _cur_rejects r using (filename, file_row_number)
