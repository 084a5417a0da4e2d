-- Each typed item judged: the reason it cannot load (NULL = loadable), and whether the change is already known
-- (stored, or repeated earlier in this batch).
create or replace temp table _spot_judged as
with keyed as (
    select t.*, s.spot_price as stored_price,
           row_number() over (partition by t.region, t.availability_zone, t.instance_type,
                              t.product_description, t.price_timestamp, t.spot_price
                              order by t.file, t.item) as _rank,
           count(distinct t.spot_price) over (partition by t.region, t.availability_zone, t.instance_type,
                              t.product_description, t.price_timestamp) as _prices
    from _spot_typed t
    left join raw.aws_spot_prices s
      on s.region = t.region and s.availability_zone = t.availability_zone
     and s.instance_type = t.instance_type and s.product_description = t.product_description
     and s.price_timestamp = t.price_timestamp
)
select *, case
    when availability_zone is null then 'AvailabilityZone missing'
    when instance_type is null then 'InstanceType missing'
    when price_timestamp is null then 'Timestamp missing or unreadable: ' || coalesce(price_text, 'null')
    when spot_price is null then 'SpotPrice is not a number: ' || coalesce(price_text, 'null')
    when spot_price <= 0 then 'SpotPrice is not positive: ' || price_text
    when stored_price is not null and stored_price <> spot_price
        then 'conflicts with the stored price ' || stored_price::varchar || ' of the same change'
    when _prices > 1 then 'the same change is reported with different prices in this batch'
end as _reason,
stored_price is not null or _rank > 1 as _known
from keyed
