{% extends "common/source_totals.sql" %}
{% block totals %}
    select coalesce(substr(invoice_month, 1, 4) || '-' || substr(invoice_month, 5, 2), 'unknown'),
           'Google Cloud', currency, count(*), sum(cost + coalesce(credits_amount, 0)),
           coalesce(sum(cost + coalesce(credits_amount, 0)) filter (_reason is not null), 0), filename
    from _gcp_judged where not _present group by all
{% endblock %}
