{#- The partition value of a row: a day or month of a timestamp column, or a text column as it is. -#}
{% macro partition_value(spec) -%}
{%- if spec.kind == 'day' -%}
strftime({{ spec.column | ident }}, '%Y-%m-%d')
{%- elif spec.kind == 'month' -%}
strftime({{ spec.column | ident }}, '%Y-%m')
{%- else -%}
cast({{ spec.column | ident }} as varchar)
{%- endif -%}
{%- endmacro %}
