-- Open prices this fetch changes (price or currency).
select count(*)
from _sku_compared
where open_price is not null and (open_price <> unit_price or open_currency <> currency)
