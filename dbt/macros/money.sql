{#- Money is DECIMAL(38, 10): CUR rates carry up to 10 decimals; sums of a month stay far below 10^28. -#}
{% macro money(expr) -%}
    cast({{ expr }} as decimal(38, 10))
{%- endmacro %}
