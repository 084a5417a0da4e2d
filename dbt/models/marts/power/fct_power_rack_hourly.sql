-- Rack power per hour. A minute counts for a rack only when every PDU of the rack reported it (so a missing PDU
-- never makes the rack look lighter); coverage = such minutes / 60. avg_kw and peak_kw over those minutes, kwh =
-- the energy of those minutes (observed, not extrapolated), headroom = capacity - peak. gpu_kw = the DCGM power of
-- the GPUs of the hosts in the rack (topology hosts), gpu_share = gpu_kw / avg_kw.
with racks as (

    select * from {{ ref('stg_power__racks') }}

),

rack_size as (

    select site, room, rack, {{ any_non_null('capacity_kw') }} as capacity_kw, count(*) as pdus
    from racks group by all

),

rack_minutes as (

    select
        r.site, r.room, r.rack, m.reading_minute,
        sum(m.kw)  as kw,
        sum(m.kwh) as kwh,
        count(*)   as pdus_reporting
    from {{ ref('int_power__device_minutes') }} as m
    join racks as r on r.pdu = m.device
    group by all

),

hourly as (

    select
        date_trunc('hour', m.reading_minute)                                    as hour_start,
        m.site, m.room, m.rack,
        {{ any_non_null('s.capacity_kw') }}                                                as capacity_kw,
        {{ any_non_null('s.pdus') }}                                                       as pdus,
        cast(sum(m.pdus_reporting) as bigint)                                   as samples,
        count(*) filter (where m.pdus_reporting = s.pdus) / cast(60 as double)                      as coverage,
        avg(m.kw) filter (where m.pdus_reporting = s.pdus)                            as avg_kw,
        max(m.kw) filter (where m.pdus_reporting = s.pdus)                            as peak_kw,
        coalesce(sum(m.kwh) filter (where m.pdus_reporting = s.pdus), 0)              as kwh
    from rack_minutes as m
    join rack_size as s using (site, room, rack)
    group by all

),

gpu as (

    select g.hour_start, h.rack, sum(g.avg_power_w) / cast(1000 as double) as gpu_kw
    from {{ ref('fct_gpu_utilization_hourly') }} as g
    join {{ ref('stg_power__hosts') }} as h on lower(h.host) = lower(g.hostname)
    group by all

)

select
    hourly.*,
    hourly.capacity_kw - hourly.peak_kw as headroom_kw,
    gpu.gpu_kw,
    gpu.gpu_kw / nullif(hourly.avg_kw, 0) as gpu_share
from hourly
left join gpu using (hour_start, rack)
