-- Spot interruptions per day, account, zone and instance type, and what they cost in lost work.
--   spot usage   the bill's spot instance-hours (charge_category Usage, pricing_category Dynamic, unit Hrs) by instance
--                id; savings = its public on-demand cost - the price paid (fct_spot_savings_daily's reference);
--   ended        an instance's last billed spot hour + the share of it used;
--   interrupted  the EC2 inventory says AWS reclaimed it (StateReason Server.SpotInstanceTermination), or it ended
--                before the bill's newest hour, the inventory gives no user reason (Client.*), and a spot instance of
--                the same type, zone and account started within spot_replacement_window_hours (its replacement);
--   lost work    checkpoints every spot_checkpoint_interval_hours from the instance's first billed hour: the hours
--                since the last checkpoint are lost (x the instance's GPUs = lost GPU-hours) and must be run again,
--                at the price per hour the instance was paid; net_savings = savings - that cost.
-- Counted on the day the instance ended; interruption_rate_per_1k_instance_hours = interruptions x 1000 / that
-- day's spot instance-hours of the type and zone.
{% set checkpoint = var('spot_checkpoint_interval_hours') %}
{% set window = var('spot_replacement_window_hours') %}
with spot as (

    select
        resource_id, charge_date, provider_name, sub_account_id, region_id, availability_zone,
        x_instance_type as instance_type, billing_currency, charge_period_start, consumed_quantity as hours,
        coalesce(x_gpu_count, 0) as gpus, billed_cost, x_public_on_demand_cost
    from {{ ref('fct_cost') }}
    where charge_category = 'Usage' and pricing_category = 'Dynamic' and consumed_unit = 'Hrs'
      and provider_name = 'AWS' and resource_id is not null

),

bill_end as (

    select max(charge_period_end) as newest_hour_end
    from {{ ref('fct_cost') }}
    where provider_name = 'AWS' and charge_category = 'Usage'

),

instances as (

    select
        resource_id, provider_name, sub_account_id, region_id, availability_zone, instance_type, billing_currency,
        min(charge_period_start)                                                    as first_hour,
        max(charge_period_start)                                                    as last_hour,
        max_by(hours, charge_period_start)                                         as last_hour_share,
        max(gpus)                                                                   as gpus,
        sum(billed_cost) / nullif(sum(hours), 0)                                    as price_per_hour
    from spot
    group by all

),

ended as (

    select
        i.*,
        {{ add_microseconds('i.last_hour', 'cast(i.last_hour_share * 3600e6 as bigint)') }}   as ended_at,
        inv.state_reason,
        (select min(r.first_hour) from instances as r
         where r.sub_account_id = i.sub_account_id and r.availability_zone = i.availability_zone
           and r.instance_type = i.instance_type and r.resource_id <> i.resource_id
           and r.first_hour > i.last_hour
           and r.first_hour <= i.last_hour + interval {{ window | int + 1 }} hour)      as replaced_from
    from instances as i
    left join {{ ref('stg_inventory__hosts') }} as inv
        on inv.provider = 'aws' and inv.resource_id = i.resource_id

),

interruptions as (

    select
        e.*,
        coalesce(e.state_reason = 'Server.SpotInstanceTermination', false)          as confirmed,
        {{ seconds_between("e.first_hour", "e.ended_at") }} / cast(3600 as double)                                   as run_hours
    from ended as e, bill_end as b
    where e.state_reason = 'Server.SpotInstanceTermination'
       or (e.ended_at < b.newest_hour_end - interval 1 hour
           and e.replaced_from is not null
           and coalesce(e.state_reason, '') not like 'Client.%')

),

lost as (

    select
        *,
        run_hours - {{ checkpoint }} * floor(run_hours / {{ checkpoint }})          as lost_hours
    from interruptions

),

usage as (

    select
        charge_date as day, provider_name, sub_account_id, region_id, availability_zone, instance_type,
        billing_currency,
        count(distinct resource_id)                                                 as spot_instances,
        sum(hours)                                                                  as spot_instance_hours,
        sum(hours * gpus)                                                           as spot_gpu_hours,
        sum(billed_cost)                                                            as price_paid,
        sum(x_public_on_demand_cost)                                                as on_demand_cost,
        sum(x_public_on_demand_cost) - sum(billed_cost) filter (where x_public_on_demand_cost is not null)
                                                                                    as savings
    from spot
    group by all

),

lost_daily as (

    select
        cast(last_hour as date) as day, provider_name, sub_account_id, region_id, availability_zone, instance_type,
        billing_currency,
        count(*)                                                                    as interruptions,
        count(*) filter (where confirmed)                                                 as interruptions_confirmed,
        count(replaced_from)                                                        as replaced,
        sum({{ seconds_between("ended_at", "replaced_from") }} / cast(3600 as double))                               as replacement_gap_hours,
        sum(lost_hours)                                                             as lost_instance_hours,
        sum(lost_hours * gpus)                                                      as lost_gpu_hours,
        sum(lost_hours * price_per_hour)                                            as lost_cost
    from lost
    group by all

)

select
    u.day,
    u.provider_name,
    u.sub_account_id,
    u.region_id,
    u.availability_zone,
    u.instance_type,
    u.billing_currency,
    cast(u.spot_instances as integer)                                               as spot_instances,
    cast(u.spot_instance_hours as double)                                           as spot_instance_hours,
    cast(u.spot_gpu_hours as double)                                                as spot_gpu_hours,
    {{ money('u.price_paid') }}                                                     as price_paid,
    {{ money('u.savings') }}                                                        as savings,
    cast(coalesce(l.interruptions, 0) as integer)                                   as interruptions,
    cast(coalesce(l.interruptions_confirmed, 0) as integer)                         as interruptions_confirmed,
    cast(coalesce(l.replaced, 0) as integer)                                        as replaced,
    cast(coalesce(l.interruptions, 0) * cast(1000 as double) / nullif(u.spot_instance_hours, 0) as double)
                                                                                    as interruption_rate_per_1k_instance_hours,
    cast(l.replacement_gap_hours as double)                                         as replacement_gap_hours,
    cast(coalesce(l.lost_instance_hours, 0) as double)                              as lost_instance_hours,
    cast(coalesce(l.lost_gpu_hours, 0) as double)                                   as lost_gpu_hours,
    {{ money('coalesce(l.lost_cost, 0)') }}                                         as lost_cost,
    {{ money('u.savings - coalesce(l.lost_cost, 0)') }}                             as net_savings,
    cast({{ checkpoint }} as double)                                                as checkpoint_interval_hours
from usage as u
left join lost_daily as l using (day, provider_name, sub_account_id, region_id, availability_zone, instance_type,
                                 billing_currency)
