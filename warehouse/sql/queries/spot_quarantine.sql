-- Keep every item that cannot load, with its reason and the item as delivered.
insert into quarantine.aws_spot_prices
select $partition, $load_id, file, item, _reason, raw::json, now()
from _spot_judged
where _reason is not null
