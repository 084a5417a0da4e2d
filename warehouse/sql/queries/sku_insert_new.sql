-- Open a row for every new series and every changed price (starting no earlier than the price it replaces).
insert into raw.gcp_sku_prices
select sku_id, service_display_name, description, resource_family, resource_group, usage_type, region,
       tier_start_usage, usage_unit, currency, unit_price, price_per_hour, effective_ts,
       case when open_price is null then valid_from else greatest(valid_from, open_from) end,
       null, $source_file, $load_id, now()
from _sku_compared
where open_price is null or open_price <> unit_price or open_currency <> currency
