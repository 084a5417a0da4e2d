-- One row per EC2 spot price change (USD per instance-hour from price_timestamp until the next change).
select
    'AWS'                                   as provider_name,
    region,
    availability_zone,
    instance_type,
    product_description,
    cast(spot_price as decimal(38, 10))     as spot_price,
    price_timestamp
from {{ source('prices', 'aws_spot_prices') }}
