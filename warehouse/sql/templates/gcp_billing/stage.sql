{#- Every file as (_j: the row as JSON text or NULL, _line: the raw text, filename: its display path,
    file_row_number). An NDJSON file (`columns` empty) keeps its lines; a Parquet or CSV file packs its columns. -#}
{% macro packed(f) %}to_json(struct_pack({% for c in f.columns %}{{ c | ident }} := {{ c | ident }}{% if not loop.last %}, {% endif %}{% endfor %}))::varchar{% endmacro %}
create or replace temp table _gcp_stage as
{% for f in files %}
(
    {% if f.lines %}
    select case when json_valid(_line) then _line end as _j, _line, {{ f.display | literal }} as filename,
           file_row_number
    from {{ f.table | relation }} where coalesce(trim(_line), '') <> ''
    {% else %}
    select {{ packed(f) }} as _j, {{ packed(f) }} as _line, {{ f.display | literal }} as filename, file_row_number
    from {{ f.table | relation }}
    {% endif %}
)
{% if not loop.last %}union all{% endif %}
{% endfor %}
