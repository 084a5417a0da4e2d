{#- Every file of the delivery under FOCUS 1.x names, as one table: each `file` has its temporary `table`, its
    `mapping` (FOCUS name, its name in the file) and, for a file without BillingCurrency, the currency assumed. -#}
create or replace temp table _focus_stage as
{% for f in files %}
(
    select
    {% for dst, src in f.mapping %}
        {{ src | ident }} as {{ dst | ident }},
    {% endfor %}
    {% if f.assumed_currency %}
        {{ f.assumed_currency | literal }} as billing_currency, true as _currency_assumed,
    {% endif %}
        filename, file_row_number
    from {{ f.table | relation }}
)
{% if not loop.last %}union all by name{% endif %}
{% endfor %}
