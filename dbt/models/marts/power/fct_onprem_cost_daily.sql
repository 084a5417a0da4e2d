-- What each on-prem GPU host costs a day, from the hardware register and the metered energy:
--   depreciation  straight line to the residual value: (purchase_cost - residual_value) / depreciation_months, each
--                 month shared equally among its days, from the purchase date for depreciation_months months;
--   support       support_per_month / the month's days;
--   rack          the host's share of its rack's own cost (the rack's hardware depreciation, support and
--                 space/colocation fee, by the same rules), shared equally among the hosts the topology puts in it,
--                 plus the host's own space fee;
--   energy        the host's IT energy (its rack's metered kWh that day, shared equally among the rack's hosts)
--                 at the day's average facility price (energy_cost / facility_kwh_metered of fct_site_energy_daily);
--   cooling       the same kWh x (PUE - 1) at that price: the facility overhead the IT load brings (0 when the day
--                 has no PUE).
-- Days: every day the site has metered energy or the host has telemetry. Cost per GPU-hour divides by the host's
-- GPUs x 24 (GPUs as telemetry saw them that day); per active GPU-hour by the GPU-hours pods held.
with assets as (

    select * from {{ ref('stg_power__onprem_assets') }}

),

hosts as (

    select
        h.host, h.rack, r.site,
        count(*) over (partition by h.rack)                                     as hosts_in_rack
    from {{ ref('stg_power__hosts') }} as h
    join (select distinct site, rack from {{ ref('stg_power__racks') }}) as r using (rack)

),

energy as (

    select * from {{ ref('fct_site_energy_daily') }}

),

rack_kwh as (

    select cast(hour_start as date) as day, site, rack, sum(kwh) as kwh
    from {{ ref('fct_power_rack_hourly') }}
    group by all

),

telemetry as (

    select
        cast(hour_start as date)                                                as day,
        lower(hostname)                                                         as host_key,
        count(distinct gpu_uuid)                                                as gpus
    from {{ ref('fct_gpu_utilization_hourly') }}
    where provider = 'onprem'
    group by all

),

held as (

    select cast(hour_start as date) as day, lower(hostname) as host_key, sum(gpu_hours_held) as held_gpu_hours
    from {{ ref('int_telemetry__gpu_time_hourly') }}
    group by all

),

days as (

    select h.host, h.rack, h.site, h.hosts_in_rack, e.day
    from hosts as h
    join energy as e on e.site = h.site
    union
    select h.host, h.rack, h.site, h.hosts_in_rack, t.day
    from hosts as h
    join telemetry as t on t.host_key = lower(h.host)

),

-- each asset's cost of one day: depreciation while it depreciates, support and space every day
asset_days as (

    select
        d.host, d.day, a.kind, a.currency,
        case when a.purchase_date is not null and d.day >= a.purchase_date
                  and d.day < {{ dbt.dateadd('month', 'a.depreciation_months', 'a.purchase_date') }}
             then (a.purchase_cost - a.residual_value) / a.depreciation_months / day(last_day(d.day))
             else 0 end                                                         as depreciation,
        a.support_per_month / day(last_day(d.day))                              as support,
        a.space_per_month / day(last_day(d.day))                                as space,
        case when a.kind = 'rack' then d.hosts_in_rack else 1 end               as shared_by
    from days as d
    join assets as a
        on (a.kind = 'host' and lower(a.asset) = lower(d.host)) or (a.kind = 'rack' and a.asset = d.rack)

),

fixed as (

    select
        host, day, {{ any_non_null('currency') }}                                          as currency,
        {{ money("sum(depreciation) filter (where kind = 'host')") }}                as depreciation_cost,
        {{ money("sum(support) filter (where kind = 'host')") }}                     as support_cost,
        {{ money("coalesce(sum(space) filter (where kind = 'host'), 0)"
                 " + coalesce(sum((depreciation + support + space) / shared_by) filter (where kind = 'rack'), 0)") }}
                                                                                as rack_cost
    from asset_days
    group by all

),

final as (

    select
        d.day,
        d.site,
        d.rack,
        d.host,
        coalesce(f.currency, e.currency)                                        as currency,
        t.gpus,
        coalesce(f.depreciation_cost, {{ money(0) }})                           as depreciation_cost,
        coalesce(f.support_cost, {{ money(0) }})                                as support_cost,
        coalesce(f.rack_cost, {{ money(0) }})                                   as rack_cost,
        cast(k.kwh / d.hosts_in_rack as decimal(38, 10))                        as it_kwh,
        e.pue,
        {{ money('k.kwh / d.hosts_in_rack * cast(e.energy_cost as double) / nullif(e.facility_kwh_metered, 0)') }}
                                                                                as energy_cost,
        {{ money('k.kwh / d.hosts_in_rack * greatest(coalesce(e.pue, 1) - 1, 0) * cast(e.energy_cost as double)'
                 ' / nullif(e.facility_kwh_metered, 0)') }}                     as cooling_cost,
        h.held_gpu_hours,
        f.host is not null                                                      as registered
    from days as d
    left join fixed as f using (host, day)
    left join energy as e on e.site = d.site and e.day = d.day
    left join rack_kwh as k on k.site = d.site and k.rack = d.rack and k.day = d.day
    left join telemetry as t on t.host_key = lower(d.host) and t.day = d.day
    left join held as h on h.host_key = lower(d.host) and h.day = d.day

),

totaled as (

    select *, depreciation_cost + support_cost + rack_cost + coalesce(energy_cost, 0) + coalesce(cooling_cost, 0)
                  as total_cost
    from final

)

select
    *,
    cast(gpus * 24 as decimal(38, 10))                                          as gpu_hours,
    cast(total_cost as double) / nullif(gpus * 24, 0)                           as cost_per_gpu_hour,
    cast(total_cost as double) / nullif(cast(held_gpu_hours as double), 0)      as cost_per_active_gpu_hour
from totaled
