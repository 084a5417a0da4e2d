{#- Every export field typed from the row's JSON: the nested path, and for a CSV row (_flat) then the dotted flat key.
    Timestamps may be epoch seconds, carry an offset or ' UTC'; JSON fields may be Python-style lists (CSV
    flattening); money may be written in exponent form. `fields`: target column, JSON path and type. The row's JSON
    is parsed once: one json_extract_string of every nested path, then (CSV rows only) every flat key, into the list
    _v (an index past its end is NULL); _is_json says whether the row parsed. Each field's text is taken from _v once
    (`texts`: trimmed, empty as NULL, a timestamp without ' UTC'), then typed from that column: the typing reads it
    several times, and taking it from the list each time was most of a load's time. A view: judged.sql reads it once
    into the one table of the batch. The line itself stays in the stage: only a quarantined row needs it again
    (quarantine_rows.sql). -#}
{% macro text(i) %}nullif(trim(coalesce(_v[{{ i }}], _v[{{ (fields | length) + i }}])), ''){% endmacro %}
{% macro pyish(c) %}regexp_replace(regexp_replace(regexp_replace(replace({{ c }}, '''', '"'), '\bNone\b', 'null', 'g'), '\bTrue\b', 'true', 'g'), '\bFalse\b', 'false', 'g'){% endmacro %}
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
           filename, file_row_number
    from _gcp_stage
),
texts as (
    -- each field's text (the nested path's, else (CSV) the flat key's), trimmed, empty as NULL, ' UTC' cut
    select
{% for f in fields %}
        {% if f.type == 'timestamp' %}regexp_replace({{ text(loop.index) }}, ' UTC$', ''){% else %}{{ text(loop.index) }}{% endif %}
            as {{ ('_t' ~ loop.index0) | ident }},
{% endfor %}
        _v is not null as _is_json, filename, file_row_number
    from parsed
)
select
{% for f in fields %}
    {% set c = ('_t' ~ loop.index0) | ident %}
    {% if f.type == 'timestamp' %}
    case when regexp_matches({{ c }}, '^\d+$') then make_timestamp(cast({{ c }} as bigint) * 1000000)
         when regexp_matches({{ c }}, '(Z|[+-]\d{2}:?\d{2})$') then try_cast({{ c }} as timestamptz) at time zone 'UTC'
         else try_cast({{ c }} as timestamp) end
    {% elif f.type == 'json' %}
    case when json_valid({{ c }}) then {{ c }}::json when json_valid({{ pyish(c) }}) then {{ pyish(c) }}::json end
    {% elif f.type.startswith('decimal') %}
    coalesce(try_cast({{ c }} as {{ f.type | sqltype }}), try_cast(try_cast({{ c }} as double) as {{ f.type | sqltype }}))
    {% else %}
    try_cast({{ c }} as {{ f.type | sqltype }})
    {% endif %}
        as {{ f.column | ident }},
{% endfor %}
    _is_json, filename, file_row_number
from texts
