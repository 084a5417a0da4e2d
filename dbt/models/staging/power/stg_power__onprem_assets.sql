-- The on-prem hardware register: one row per host or rack, money as DECIMAL in the asset's currency.
select
    asset,
    kind,
    site,
    purchase_date,
    currency,
    purchase_cost,
    depreciation_months,
    residual_value,
    support_per_month,
    space_per_month
from {{ source('power', 'onprem_assets') }}
