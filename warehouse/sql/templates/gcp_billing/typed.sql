{#- Every export field typed from the row's JSON: the nested path first, then the dotted flat key (CSV). Timestamps
    may be epoch seconds, carry an offset or ' UTC'; JSON fields may be Python-style lists (CSV flattening); money
    may be written in exponent form. `fields`: target column, JSON path and type. -#}
{% macro text(path) %}coalesce(json_extract_string(_j, {{ ('$.' ~ path) | literal }}), json_extract_string(_j, {{ ('$."' ~ path ~ '"') | literal }})){% endmacro %}
{% macro t(path) %}nullif(trim({{ text(path) }}), ''){% endmacro %}
{% macro ts(path) %}regexp_replace({{ t(path) }}, ' UTC$', ''){% endmacro %}
{% macro pyish(path) %}regexp_replace(regexp_replace(replace({{ t(path) }}, '''', '"'), '\bNone\b', 'null', 'g'), '\b(True|False)\b', 'true', 'g'){% endmacro %}
create or replace temp table _gcp_typed as
select
{% for f in fields %}
    {% if f.type == 'timestamp' %}
    case when regexp_matches({{ ts(f.path) }}, '^\d+$') then make_timestamp(cast({{ ts(f.path) }} as bigint))
         when regexp_matches({{ ts(f.path) }}, '(Z|[+-]\d{2}:?\d{2})$') then try_cast({{ ts(f.path) }} as timestamptz) at time zone 'UTC'
         else try_cast({{ ts(f.path) }} as timestamp) end
    {% elif f.type == 'json' %}
    case when json_valid({{ t(f.path) }}) then {{ t(f.path) }}::json when json_valid({{ pyish(f.path) }}) then {{ pyish(f.path) }}::json end
    {% elif f.type.startswith('decimal') %}
    coalesce(try_cast({{ t(f.path) }} as {{ f.type | sqltype }}), try_cast(try_cast({{ t(f.path) }} as double) as {{ f.type | sqltype }}))
    {% else %}
    try_cast({{ t(f.path) }} as {{ f.type | sqltype }})
    {% endif %}
        as {{ f.column | ident }},
{% endfor %}
    _j, _line, filename, file_row_number
from _gcp_stage
