-- The rows that passed, in the table's column order, with their lineage and coercions.
insert into raw.focus_cost_rows
select {% for n in columns %}{{ n | ident }}, {% endfor %}
       $partition_key, $period, $export_name, $delivery_id, filename, file_row_number, _coercions, _extra_columns,
       $load_id, now()
from _focus_judged where _reason is null
