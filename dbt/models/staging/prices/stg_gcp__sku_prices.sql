-- GCP SKU prices per region and tier, with the period each price held (valid_to NULL = current).
select
    'Google Cloud'                          as provider_name,
    sku_id,
    description                             as sku_description,
    resource_family,
    resource_group,
    usage_type,
    usage_type in ('Preemptible', 'Spot')   as is_spot,
    region,
    tier_start_usage,
    usage_unit,
    currency,
    unit_price,
    price_per_hour,
    valid_from,
    valid_to
from {{ source('prices', 'gcp_sku_prices') }}
