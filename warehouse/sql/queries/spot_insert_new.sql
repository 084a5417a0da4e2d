-- Append the judged changes that are loadable and not known yet.
insert into raw.aws_spot_prices
select region, availability_zone, instance_type, product_description, spot_price, price_timestamp, file, item,
       $load_id, now()
from _spot_judged
where _reason is null and not _known
