-- The newest stored change per (zone, instance type, product) of a region inside [$start, $end).
select availability_zone, instance_type, product_description, max(price_timestamp)
from raw.aws_spot_prices
where region = $region and price_timestamp >= $start and price_timestamp < $end
group by all
