-- Spot usage in the bill per day: hours, what was paid, what the same hours cost on demand, the savings, and
-- what the spot market price of those hours was (a check on the bill).
-- On-demand reference: the bill's own public on-demand cost of each spot line item (pricing_public_on_demand_cost),
-- the rate AWS states for exactly that usage; the Price List API is not used. A line without it is counted in
-- hours_without_on_demand_price and left out of on_demand_cost and savings (a visible gap, never a guess).
with spot as (

    select * from {{ ref('fct_cost') }}
    where charge_category = 'Usage'
      and pricing_category = 'Dynamic'
      and consumed_unit = 'Hrs'

),

market as (

    select * from {{ ref('fct_spot_price_hourly') }}
    where product_description in ('Linux/UNIX', 'Linux/UNIX (Amazon VPC)')

),

hourly as (

    select
        spot.charge_date,
        spot.provider_name,
        spot.sub_account_id,
        spot.region_id,
        spot.availability_zone,
        spot.x_instance_type                                 as instance_type,
        spot.billing_currency,
        spot.consumed_quantity                               as hours,
        spot.consumed_quantity * coalesce(spot.x_gpu_count, 0) as gpu_hours,
        spot.billed_cost                                     as price_paid,
        spot.x_public_on_demand_cost                         as on_demand_cost,
        {{ money('market.price_per_hour * spot.consumed_quantity') }} as market_cost
    from spot
    left join market
        on market.provider_name = spot.provider_name
       and market.availability_zone = spot.availability_zone
       and market.instance_type = spot.x_instance_type
       and market.hour_start = date_trunc('hour', spot.charge_period_start)

),

final as (

    select
        charge_date,
        provider_name,
        sub_account_id,
        region_id,
        availability_zone,
        instance_type,
        billing_currency,
        sum(hours)                                                          as spot_hours,
        sum(gpu_hours)                                                      as spot_gpu_hours,
        sum(price_paid)                                                     as price_paid,
        sum(on_demand_cost)                                                 as on_demand_cost,
        sum(on_demand_cost) - sum(price_paid) filter (where on_demand_cost is not null) as savings,
        cast(sum(on_demand_cost) - sum(price_paid) filter (where on_demand_cost is not null) as double)
            / nullif(cast(sum(on_demand_cost) as double), 0)                as savings_ratio,  -- a ratio, not money
        coalesce(sum(hours) filter (where on_demand_cost is null), 0)             as hours_without_on_demand_price,
        sum(market_cost)                                                    as market_cost,
        coalesce(sum(hours) filter (where market_cost is null), 0)                as hours_without_market_price,
        {{ money('sum(price_paid) / nullif(sum(gpu_hours), 0)') }}          as price_paid_per_gpu_hour
    from hourly
    group by all

)

select * from final
