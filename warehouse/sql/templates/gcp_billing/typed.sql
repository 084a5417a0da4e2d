{#- Every export field typed from the row's JSON: the nested path, and for a CSV row (_flat) then the dotted flat key.
    Timestamps may be epoch seconds, carry an offset or ' UTC'; JSON fields may be Python-style lists (CSV
    flattening); money may be written in exponent form. `fields`: target column, JSON path and type. The row's JSON
    is parsed once: one json_extract_string of every nested path, then (CSV rows only) every flat key, into the list
    _v (an index past its end is NULL); _is_json says whether the row parsed. A view: judged.sql reads it once into
    the one table of the batch. The line itself stays in the stage: only a quarantined row needs it again
    (quarantine_rows.sql). -#}
{% macro text(i) %}coalesce(_v[{{ i + 1 }}], _v[{{ (fields | length) + i + 1 }}]){% endmacro %}
{% macro t(i) %}nullif(trim({{ text(i) }}), ''){% endmacro %}
{% macro ts(i) %}regexp_replace({{ t(i) }}, ' UTC$', ''){% endmacro %}
{% macro pyish(i) %}regexp_replace(regexp_replace(regexp_replace(replace({{ t(i) }}, '''', '"'), '\bNone\b', 'null', 'g'), '\bTrue\b', 'true', 'g'), '\bFalse\b', 'false', 'g'){% endmacro %}
create or replace temp view _gcp_typed as
with parsed as (
    -- a line that is not JSON gets no values (NULL _v): judged.sql quarantines it with the reason
    select try(case when _flat then json_extract_string(_line, [
{% for f in fields %}
               {{ ('$.' ~ f.path) | literal }},
{% endfor %}
{% for f in fields %}
               {{ ('$."' ~ f.path ~ '"') | literal }}{% if not loop.last %},{% endif %}
{% endfor %}
           ]) else json_extract_string(_line, [
{% for f in fields %}
               {{ ('$.' ~ f.path) | literal }}{% if not loop.last %},{% endif %}
{% endfor %}
           ]) end) as _v,
           _line, filename, file_row_number
    from _gcp_stage
)
select
{% for f in fields %}
    {% set i = loop.index0 %}
    {% if f.type == 'timestamp' %}
    case when regexp_matches({{ ts(i) }}, '^\d+$') then make_timestamp(cast({{ ts(i) }} as bigint) * 1000000)
         when regexp_matches({{ ts(i) }}, '(Z|[+-]\d{2}:?\d{2})$') then try_cast({{ ts(i) }} as timestamptz) at time zone 'UTC'
         else try_cast({{ ts(i) }} as timestamp) end
    {% elif f.type == 'json' %}
    case when json_valid({{ t(i) }}) then {{ t(i) }}::json when json_valid({{ pyish(i) }}) then {{ pyish(i) }}::json end
    {% elif f.type.startswith('decimal') %}
    coalesce(try_cast({{ t(i) }} as {{ f.type | sqltype }}), try_cast(try_cast({{ t(i) }} as double) as {{ f.type | sqltype }}))
    {% else %}
    try_cast({{ t(i) }} as {{ f.type | sqltype }})
    {% endif %}
        as {{ f.column | ident }},
{% endfor %}
    _v is not null as _is_json, filename, file_row_number
from parsed
