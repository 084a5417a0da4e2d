{#- Each row's identity is the hash of its values (the export has no line-item id; JSON fields re-serialised so
    whitespace does not change it), its credits summed, whether the warehouse holds it already, and its reason to be
    quarantined: unreadable, or a repeat inside the batch (the first copy loads; a row already in the warehouse is
    skipped, not quarantined). -#}
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
),
ranked as (
    select *,
           row_number() over (partition by _row_hash order by filename, file_row_number) as _dup_rank,
           case
               when not _is_json then 'line is not valid JSON'
               when cost is null then 'cost missing or unreadable'
               when currency is null then 'currency missing'
               when usage_start_time is null then 'usage_start_time missing or unreadable'
               when invoice_month is null or not regexp_matches(invoice_month, '^\d{6}$')
                   then 'invoice.month missing or not YYYYMM'
           end as _invalid,
           exists (select 1 from raw.gcp_billing_export t where t._row_hash = h._row_hash) as _present
    from h
)
select * exclude (_dup_rank, _invalid),
       coalesce(_invalid, case when not _present and _dup_rank > 1
                               then 'duplicate row: identical values earlier in this batch' end) as _reason
from ranked
