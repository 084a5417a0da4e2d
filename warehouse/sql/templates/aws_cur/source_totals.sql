{% extends "common/source_totals.sql" %}
{% block totals %}
    -- the delivery's own totals per currency, and what of it went to quarantine
    select $billing_period, 'AWS', s.line_item_currency_code, count(*),
           sum(try_cast(s.line_item_unblended_cost as decimal(38, 10))),
           coalesce(sum(try_cast(s.line_item_unblended_cost as decimal(38, 10))) filter (r._reason is not null), 0)
    from _cur_stage s left join _cur_rejects r using (filename, file_row_number)
    group by s.line_item_currency_code
{% endblock %}
