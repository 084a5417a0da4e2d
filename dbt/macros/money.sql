{#- Money is DECIMAL(38, 10): CUR rates carry up to 10 decimals; sums of a month stay far below 10^28. -#}
{% macro money(expr) -%}
    cast({{ expr }} as decimal(38, 10))
{%- endmacro %}

{#- The four cost measures of fct_cost (gross and net, billed and effective), summed from rows aliased `alias`. -#}
{% macro cost_measure_sums(alias) -%}
    {%- for m in ['billed_cost', 'effective_cost', 'net_billed_cost', 'net_effective_cost'] -%}
        sum({{ alias }}.{{ m }}) as {{ m }}{{ ',' if not loop.last }}
    {% endfor -%}
{%- endmacro %}
