-- Close, at the fetch time, the open series a full fetch no longer lists.
update raw.gcp_sku_prices t set valid_to = $fetched_at
where t.valid_to is null
  and not exists (select 1 from _sku_judged s
                  where t.sku_id = s.sku_id and t.region = s.region and t.tier_start_usage = s.tier_start_usage)
