-- Open series a full fetch no longer lists.
select count(*)
from raw.gcp_sku_prices t
where t.valid_to is null
  and not exists (select 1 from _sku_judged s
                  where t.sku_id = s.sku_id and t.region = s.region and t.tier_start_usage = s.tier_start_usage)
