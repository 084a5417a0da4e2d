{#- Type every FOCUS column by the spec's rules and record each bend a value needed in _coercions: empty strings
    and NULL tokens are NULL; timestamps with an offset are converted to UTC, without one read as UTC, m/d/y read
    as such; money loses currency symbols and thousands separators; enum values take the spec's spelling.
    `columns`: the table's columns (name, type, kind: timestamp, decimal, json, enum, text or missing; allowed
    values for an enum). Identical records are ranked (FOCUS has no line-item identity). -#}
{% macro v(c) %}nullif(trim({{ c.name | ident }}), ''){% endmacro %}
{% macro plain(c) %}regexp_replace({{ v(c) }}, '[$€£¥,\s]', '', 'g'){% endmacro %}
{% macro typed(c) -%}
{% if c.kind == 'timestamp' -%}
case when regexp_matches({{ v(c) }}, '(Z|[+-]\d{2}:?\d{2})$') then try_cast({{ v(c) }} as timestamptz) at time zone 'UTC'
     when regexp_matches({{ v(c) }}, '^\d{1,2}/\d{1,2}/\d{2,4}$') then try_strptime({{ v(c) }}, ['%m/%d/%y', '%m/%d/%Y'])
     else try_cast({{ v(c) }} as timestamp) end
{%- elif c.kind == 'decimal' -%}
coalesce(try_cast({{ v(c) }} as {{ c.type | sqltype }}), try_cast({{ plain(c) }} as {{ c.type | sqltype }}),
         try_cast(try_cast({{ v(c) }} as double) as {{ c.type | sqltype }}))
{%- elif c.kind == 'json' -%}
case when json_valid({{ v(c) }}) then {{ v(c) }}::json end
{%- elif c.kind == 'enum' -%}
case {% for a in c.allowed %}when lower({{ v(c) }}) = {{ a.lower() | literal }} then {{ a | literal }} {% endfor %}else {{ v(c) }} end
{%- else -%}
{{ v(c) }}
{%- endif %}
{%- endmacro %}
{% macro label(c, text) %}{{ (c.name ~ ': ' ~ text) | literal }}{% endmacro %}
{% macro coercions(c) -%}
case when {{ c.name | ident }} is not null and trim({{ c.name | ident }}) = '' then {{ label(c, 'empty string read as NULL') }} end,
{% if c.kind == 'timestamp' %}
case when {{ v(c) }} is not null and ({{ typed(c) }}) is null then {{ label(c, 'unreadable timestamp read as NULL') }} end,
case when {{ v(c) }} is not null and not regexp_matches({{ v(c) }}, '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$')
     then {{ label(c, 'timestamp not in ISO 8601 UTC form, read as UTC') }} end,
{% elif c.kind == 'decimal' %}
case when {{ v(c) }} is not null and ({{ typed(c) }}) is null then {{ label(c, 'unreadable number read as NULL') }} end,
case when try_cast({{ v(c) }} as {{ c.type | sqltype }}) is null and try_cast({{ plain(c) }} as {{ c.type | sqltype }}) is not null
     then {{ label(c, 'currency symbol or thousands separator removed') }} end,
{% elif c.kind == 'json' %}
case when {{ v(c) }} is not null and not json_valid({{ v(c) }}) then {{ label(c, 'invalid JSON read as NULL') }} end,
{% elif c.kind == 'enum' %}
case when {{ v(c) }} is not null and ({{ typed(c) }}) <> {{ v(c) }}
     then {{ (c.name ~ ': ') | literal }} || {{ v(c) }} || ' read as ' || ({{ typed(c) }}) end,
{% endif %}
{%- endmacro %}
{% macro record(names) %}to_json(struct_pack({% for n in names %}{{ n | ident }} := {{ n | ident }}{% if not loop.last %}, {% endif %}{% endfor %})){% endmacro %}
create or replace temp table _focus_typed as
select
{% for c in columns %}
    {% if c.kind == 'missing' %}cast(null as {{ c.type | sqltype }}){% else %}{{ typed(c) }}{% endif %} as {{ c.name | ident }},
{% endfor %}
    list_filter([
{% for c in columns if c.kind != 'missing' %}
        {{ coercions(c) }}
{% endfor %}
{% if assumed_currency %}
        case when _currency_assumed then {{ ('billing_currency: column absent, assumed ' ~ assumed_currency) | literal }} end,
{% endif %}
        null], lambda x: x is not null) as _coercions,
    {% if extras %}{{ record(extras) }}{% else %}null{% endif %} as _extra_columns,
    {{ record(source_columns) }} as _record,
    filename, file_row_number,
    row_number() over (partition by md5({{ record(source_columns) }}) order by filename, file_row_number) as _dup_rank
from _focus_stage
