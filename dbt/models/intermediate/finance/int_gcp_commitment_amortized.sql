-- The amortized (effective) cost of the GCP export rows a committed use discount touches, as FOCUS amortizes
-- commitments: the usage a commitment covered carries the fee of the units it drew (the hour's fee x its covered
-- units / the committed units, or / the covered units if usage exceeds them), and the fee row keeps only its unused
-- part. Per commitment and hour the two add up to the fee, so the billed and effective totals agree. Covered usage
-- whose commitment's fee is not in this export (a commitment shared from another billing account) keeps its net cost.
with export_rows as (

    select * from {{ ref('stg_gcp__billing_export') }}

),

hourly as (

    select * from {{ ref('int_gcp_commitment_hourly') }}

),

fee_rows as (

    select
        r.cost_id,
        {{ money('cast(r.cost as double) * (1 - cast(h.used_commitment as double)'
                 ' / nullif(cast(h.commitment_cost as double), 0))') }}    as effective_cost
    from export_rows as r
    join hourly as h
        on h.billing_account_id = r.billing_account_id and h.region_id is not distinct from r.location_region
       and h.commitment_resource = {{ gcp_fee_commitment_key('r.sku_description') }}
       and h.hour_start = date_trunc('hour', r.usage_start_time)
       and h.billing_currency = r.currency

),

covered_rows as (

    select
        r.cost_id,
        {{ money('cast(r.net_cost as double) + cast(h.commitment_cost as double)'
                 ' * (cast(r.usage_amount_in_pricing_units as double) * cast(-r.commitment_credits_amount as double)'
                 ' / cast(r.cost as double))'
                 ' / greatest(cast(h.committed_units as double), cast(h.covered_units as double))') }}
                                                                            as effective_cost
    from export_rows as r
    join hourly as h
        on h.billing_account_id = r.billing_account_id and h.region_id is not distinct from r.location_region
       and h.commitment_resource = {{ gcp_usage_commitment_key('r.sku_description') }}
       and h.hour_start = date_trunc('hour', r.usage_start_time) and h.billing_currency = r.currency
    where r.commitment_credits_amount < 0 and r.cost > 0

)

select * from fee_rows
union all
select * from covered_rows
