-- The spot price in effect at the start of every hour, per provider, region, zone, instance type and product,
-- from the first full hour after a series' first known change to the end of its last day; with GPUs per
-- instance, the price per GPU-hour. Hours before a series' first change have no row (a visible gap).
with changes as (

    select * from {{ ref('stg_aws__spot_prices') }}

),

gpus as (

    select * from {{ ref('gpu_instance_types') }}

),

series as (

    select provider_name, region, availability_zone, instance_type, product_description,
           min(price_timestamp) as first_change, max(price_timestamp) as last_change
    from changes
    group by all

),

hours as (

    select
        series.* exclude (first_change, last_change),
        unnest(generate_series(date_trunc('hour', first_change) + interval 1 hour,
                               date_trunc('day', last_change) + interval 23 hour,
                               interval 1 hour)) as hour_start
    from series

),

priced as (

    select
        hours.*,
        changes.spot_price,
        changes.price_timestamp as price_set_at
    from hours
    asof left join changes
        on changes.provider_name = hours.provider_name
       and changes.region = hours.region
       and changes.availability_zone = hours.availability_zone
       and changes.instance_type = hours.instance_type
       and changes.product_description = hours.product_description
       and changes.price_timestamp <= hours.hour_start

),

final as (

    select
        priced.provider_name,
        priced.region,
        priced.availability_zone,
        priced.instance_type,
        priced.product_description,
        priced.hour_start,
        cast(priced.hour_start as date)                         as price_date,
        priced.spot_price                                       as price_per_hour,
        gpus.gpu_count,
        priced.spot_price / nullif(gpus.gpu_count, 0)           as price_per_gpu_hour,
        priced.price_set_at
    from priced
    left join gpus on gpus.provider_name = priced.provider_name and gpus.instance_type = priced.instance_type

)

select * from final
