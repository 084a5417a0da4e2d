{#- One FOCUS Parquet file as text columns (nested values as JSON text), like a CSV read: every file is then typed
    by the same rules. `columns`: name and whether it is nested. -#}
create or replace temp table {{ table | relation }} as
select
{% for c in columns %}
    {% if c.nested %}to_json({{ c.name | ident }})::varchar{% else %}cast({{ c.name | ident }} as varchar){% endif %} as {{ c.name | ident }},
{% endfor %}
    filename, file_row_number
from read_parquet($path, filename = true, file_row_number = true)
