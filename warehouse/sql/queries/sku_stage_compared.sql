-- Each loadable price beside the open (valid_to is null) stored price of its SKU, region and tier.
create or replace temp table _sku_compared as
select s.*, t.unit_price as open_price, t.currency as open_currency, t.valid_from as open_from
from (select * from _sku_judged where _reason is null) s
left join raw.gcp_sku_prices t
  on t.sku_id = s.sku_id and t.region = s.region and t.tier_start_usage = s.tier_start_usage
 and t.valid_to is null
