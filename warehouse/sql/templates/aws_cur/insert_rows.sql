{#- Every staged row not rejected, matched to the table by column name (a column added by a later ALTER sits last in an
    upgraded table, so never by position): a column the files lack is NULL, one whose type
    differs is cast, columns the table does not know are kept as JSON in _extra_columns (schema drift). -#}
insert into {{ target | relation }} by name
select
{% for c in columns %}
    {% if c.state == 'missing' %}cast(null as {{ c.type | sqltype }}){% elif c.state == 'cast' %}try_cast({{ c.name | ident }} as {{ c.type | sqltype }}){% else %}{{ c.name | ident }}{% endif %} as {{ c.name | ident }},
{% endfor %}
    $billing_period as _billing_period, $delivery_id as _delivery_id, filename as _source_file,
    file_row_number as _source_row,
    {% if extras %}to_json(struct_pack({% for e in extras %}{{ e | ident }} := {{ e | ident }}{% if not loop.last %}, {% endif %}{% endfor %})){% else %}cast(null as json){% endif %} as _extra_columns,
    $load_id as _load_id, $loaded_at as _loaded_at
from _cur_stage anti join _cur_rejects using (filename, file_row_number)
