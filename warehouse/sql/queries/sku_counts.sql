-- Rows read, quarantined, and opened (new series or changed prices) by this fetch.
select count(*), count(_reason),
       (select count(*) from _sku_compared
        where open_price is null or open_price <> unit_price or open_currency <> currency)
from _sku_judged
