-- The spot price in effect at the start of every hour.
-- AWS: per region, zone, instance type and product, from the first full hour after a series' first known change
-- to the end of its last day; with GPUs per instance, the price per GPU-hour. Hours before a series' first change
-- have no row (a visible gap).
-- GCP: spot/preemptible GPU SKUs of the catalog (priced per GPU-hour) per region, over the days the billing data
-- covers, from the price history (valid_from <= hour < valid_to).
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
        series.* {{ star_except() }} (first_change, last_change),
        {{ series("date_trunc('hour', first_change) + interval 1 hour",
                  "date_trunc('day', last_change) + interval 23 hour", 'interval 1 hour') }} as hour_start
    from series

),

-- each price holds from its change until the next change of its series (the last one: for good)
held as (

    select
        *,
        lead(price_timestamp) over (partition by provider_name, region, availability_zone, instance_type,
                                                 product_description order by price_timestamp) as next_change
    from changes

),

priced as (

    select
        hours.*,
        held.spot_price,
        held.price_timestamp as price_set_at
    from hours
    left join held
        on held.provider_name = hours.provider_name
       and held.region = hours.region
       and held.availability_zone = hours.availability_zone
       and held.instance_type = hours.instance_type
       and held.product_description = hours.product_description
       and held.price_timestamp <= hours.hour_start
       and (held.next_change > hours.hour_start or held.next_change is null)

),

aws_final as (

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
        {{ money('priced.spot_price / nullif(gpus.gpu_count, 0)') }} as price_per_gpu_hour,
        priced.price_set_at
    from priced
    left join gpus on gpus.provider_name = priced.provider_name and gpus.instance_type = priced.instance_type

),

gcp_prices as (

    select * from {{ ref('stg_gcp__sku_prices') }}
    where is_spot and resource_group = 'GPU' and price_per_hour is not null and tier_start_usage = 0

),

billing_days as (

    select min(charge_date) as first_day, max(charge_date) as last_day from {{ ref('fct_cost') }}

),

gcp_hours as (

    select {{ series('cast(first_day as timestamp)', 'cast(last_day as timestamp) + interval 23 hour',
                     'interval 1 hour') }} as hour_start
    from billing_days
    where first_day is not null

),

gcp_final as (

    select
        p.provider_name,
        p.region,
        cast(null as string)                                   as availability_zone,
        p.sku_description                                       as instance_type,
        'SKU ' || p.sku_id                                      as product_description,
        h.hour_start,
        cast(h.hour_start as date)                              as price_date,
        p.price_per_hour,
        1                                                       as gpu_count,
        p.price_per_hour                                        as price_per_gpu_hour,
        p.valid_from                                            as price_set_at
    from gcp_prices p
    join gcp_hours h on h.hour_start >= p.valid_from and (p.valid_to is null or h.hour_start < p.valid_to)

),

final as (

    select * from aws_final
    {{ union_all_by_name() }}
    select * from gcp_final

)

select * from final
