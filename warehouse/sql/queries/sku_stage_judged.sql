-- The fetched price rows (the relation `fetched`) judged: region 'global' when none, valid from the price's
-- effective time (else the fetch time $fetched_at), and the reason a row cannot load (NULL = loadable).
create or replace temp table _sku_judged as
select * exclude (region, effective_time), coalesce(region, 'global') as region,
       coalesce(try_cast(effective_time as timestamptz) at time zone 'UTC', $fetched_at) as valid_from,
       try_cast(effective_time as timestamptz) at time zone 'UTC' as effective_ts,
       case
           when problem is not null then problem
           when sku_id is null then 'skuId missing'
           when unit_price < 0 then 'negative unit price ' || unit_price::varchar
           when currency is null then 'currency missing'
       end as _reason
from fetched
