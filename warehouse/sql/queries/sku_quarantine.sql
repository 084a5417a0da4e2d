-- Keep every price row that cannot load, with its reason and the row as fetched.
insert into quarantine.gcp_sku_prices
select 'catalog', $load_id, $source_file, null, _reason, raw::json, now()
from _sku_judged
where _reason is not null
