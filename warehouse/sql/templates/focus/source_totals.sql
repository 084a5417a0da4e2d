{% extends "common/source_totals.sql" %}
{% block totals %}
    select $period, coalesce(provider_name, invoice_issuer_name, $export_name), billing_currency, count(*),
           sum(billed_cost), coalesce(sum(billed_cost) filter (_reason is not null), 0)
    from _focus_judged group by all
{% endblock %}
