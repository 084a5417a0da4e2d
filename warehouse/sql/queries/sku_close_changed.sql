-- Close the open rows whose price changed, where the new price starts (never before the old one started).
update raw.gcp_sku_prices t set valid_to = greatest(s.valid_from, t.valid_from)
from _sku_compared s
where t.sku_id = s.sku_id and t.region = s.region and t.tier_start_usage = s.tier_start_usage
  and t.valid_to is null and (s.unit_price <> t.unit_price or s.currency <> t.currency)
