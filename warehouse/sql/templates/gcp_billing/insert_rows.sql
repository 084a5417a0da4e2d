-- New rows that passed, in the table's order (credits_amount after credits), with the billing period from
-- invoice.month and the row hash.
insert into raw.gcp_billing_export
select {% for f in fields %}{{ f.column | ident }}, {% if f.column == 'credits' %}credits_amount, {% endif %}{% endfor %}
       substr(invoice_month, 1, 4) || '-' || substr(invoice_month, 5, 2), _row_hash, filename,
       file_row_number, $load_id, now()
from _gcp_judged where _reason is null and not _present
