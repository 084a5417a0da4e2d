{#- Every file of the assembly in CUR 2.0 shape, as one table: each `file` has its temporary `table`, its `columns`
    (CUR 2.0 name, its name in the file) and its `maps` (resource_tags, cost_category, product: the key each value
    is stored under and its column in the file); empty values are NULL and empty map entries are left out. -#}
create or replace temp table _cur_stage as
{% for f in files %}
(
    select
    {% for dst, src in f.columns %}
        cast(nullif(cast({{ src | ident }} as varchar), '') as varchar) as {{ dst | ident }},
    {% endfor %}
    {% for m, entries in f.maps %}
        map_from_entries(list_filter([
            {% for key, src in entries %}{'key': {{ key | literal }}, 'value': cast({{ src | ident }} as varchar)}{% if not loop.last %}, {% endif %}{% endfor %}
        ], lambda e: coalesce(e.value, '') <> '')) as {{ m | ident }},
    {% endfor %}
        filename, file_row_number
    from {{ f.table | relation }}
)
{% if not loop.last %}union all by name{% endif %}
{% endfor %}
