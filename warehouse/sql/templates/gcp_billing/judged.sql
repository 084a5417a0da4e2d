{#- Each row's identity is the hash of its values (the export has no line-item id; JSON fields re-serialised so
    whitespace does not change it), its credits summed, whether the warehouse holds it already, and its reason to be
    quarantined when it is unreadable. A repeat inside the batch is marked after (repeats.sql). -#}
create or replace temp table _gcp_judged as
with h as (
    select *,
           md5(concat_ws('|',
{% for f in fields %}
               coalesce(cast({% if f.type == 'json' %}json({{ f.column | ident }}){% else %}{{ f.column | ident }}{% endif %} as varchar), '∅'){% if not loop.last %},{% endif %}
{% endfor %}
           )) as _row_hash,
           coalesce(list_sum(list_transform(json_extract_string(credits, '$[*].amount'),
                                   lambda a: coalesce(try_cast(a as decimal(38, 10)),
                                                      cast(cast(a as double) as decimal(38, 10))))),
                    0) as credits_amount
    from _gcp_typed
)
select *,
       case
           when not _is_json then 'line is not valid JSON'
           when cost is null then 'cost missing or unreadable'
           when currency is null then 'currency missing'
           when usage_start_time is null then 'usage_start_time missing or unreadable'
           when invoice_month is null or not regexp_matches(invoice_month, '^\d{6}$')
               then 'invoice.month missing or not YYYYMM'
       end as _reason,
       exists (select 1 from raw.gcp_billing_export t where t._row_hash = h._row_hash) as _present
from h
