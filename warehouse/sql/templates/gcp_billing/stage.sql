{#- Every file as (_line: the row's text, filename: its display path, file_row_number, _flat: a CSV file, whose
    headers may be nested fields flattened to dotted names). An NDJSON file (`columns` empty) keeps its lines (whether
    each is JSON is judged when typed.sql parses it); a Parquet or CSV file packs its columns as JSON. -#}
{% macro packed(f) %}to_json(struct_pack({% for c in f.columns %}{{ c | ident }} := {{ c | ident }}{% if not loop.last %}, {% endif %}{% endfor %}))::varchar{% endmacro %}
-- a view, not a copy: typed.sql reads the files' tables through it once
create or replace temp view _gcp_stage as
{% for f in files %}
(
    {% if f.lines %}
    -- blank lines (and NULL) left out: an anchored regex stops at a line's first other character (trim() copied it)
    select _line, {{ f.display | literal }} as filename, file_row_number, false as _flat
    from {{ f.table | relation }} where not regexp_full_match(_line, ' *')
    {% else %}
    select {{ packed(f) }} as _line, {{ f.display | literal }} as filename, file_row_number,
           {% if f.flat %}true{% else %}false{% endif %} as _flat
    from {{ f.table | relation }}
    {% endif %}
)
{% if not loop.last %}union all{% endif %}
{% endfor %}
