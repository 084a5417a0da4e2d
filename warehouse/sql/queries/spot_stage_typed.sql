-- Spot price items (the Arrow table `items`, one row per SpotPriceHistory item) typed: zone, type and product
-- trimmed (an empty product is 'unknown'), the price as DECIMAL(18, 8), the timestamp in UTC.
create or replace temp table _spot_typed as
select file, item, raw, $region as region,
       nullif(trim("AvailabilityZone"), '') as availability_zone,
       nullif(trim("InstanceType"), '') as instance_type,
       coalesce(nullif(trim("ProductDescription"), ''), 'unknown') as product_description,
       "SpotPrice" as price_text,
       try_cast("SpotPrice" as decimal(18, 8)) as spot_price,
       case when regexp_matches("Timestamp", '(Z|[+-]\d{2}:?\d{2})$')
            then try_cast("Timestamp" as timestamptz) at time zone 'UTC'
            else try_cast("Timestamp" as timestamp) end as price_timestamp
from items
