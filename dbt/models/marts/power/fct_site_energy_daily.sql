-- Site energy per day. PUE = facility energy / IT energy over the minutes where both exist: the site's utility
-- meter(s) and every PDU of the site reported (coverage = those minutes / 1440). energy_cost prices all metered
-- facility energy with the site's tariff for the minute of the day (flat or time-of-use), as DECIMAL.
with racks as (

    select * from {{ ref('stg_power__racks') }}

),

meters as (

    select * from {{ ref('stg_power__meters') }}

),

tariffs as (

    select * from {{ ref('stg_power__tariffs') }}

),

minutes as (

    select * from {{ ref('int_power__device_minutes') }}

),

it_minutes as (

    select r.site, m.reading_minute, sum(m.kwh) as it_kwh, count(*) as pdus_reporting
    from minutes as m join racks as r on r.pdu = m.device
    group by all

),

facility_minutes as (

    select t.site, m.reading_minute, sum(m.kwh) as facility_kwh, count(*) as meters_reporting
    from minutes as m join meters as t on t.meter = m.device
    group by all

),

site_size as (

    select site, (select count(*) from racks r2 where r2.site = s.site) as pdus,
           (select count(*) from meters t where t.site = s.site) as meters
    from (select distinct site from racks union select distinct site from meters) as s

),

priced as (

    select
        f.site, f.reading_minute, f.facility_kwh,
        f.meters_reporting = z.meters                                      as facility_complete,
        i.it_kwh,
        coalesce(i.pdus_reporting = z.pdus, false)                         as it_complete,
        t.currency,
        t.per_kwh
    from facility_minutes as f
    join site_size as z using (site)
    left join it_minutes as i using (site, reading_minute)
    left join tariffs as t
        on t.site = f.site
       and (
            (t.from_minute < t.to_minute
             and hour(f.reading_minute) * 60 + minute(f.reading_minute) >= t.from_minute
             and hour(f.reading_minute) * 60 + minute(f.reading_minute) <  t.to_minute)
         or (t.from_minute >= t.to_minute
             and (hour(f.reading_minute) * 60 + minute(f.reading_minute) >= t.from_minute
                  or hour(f.reading_minute) * 60 + minute(f.reading_minute) < t.to_minute))
       )

)

select
    cast(reading_minute as date)                                                 as day,
    site,
    count(*) filter (where facility_complete and it_complete)                          as matched_minutes,
    count(*) filter (where facility_complete and it_complete) / cast(1440 as double)                 as coverage,
    sum(it_kwh) filter (where facility_complete and it_complete)                       as it_kwh,
    sum(facility_kwh) filter (where facility_complete and it_complete)                 as facility_kwh,
    sum(facility_kwh) filter (where facility_complete and it_complete)
        / nullif(sum(it_kwh) filter (where facility_complete and it_complete), 0)      as pue,
    sum(facility_kwh)                                                            as facility_kwh_metered,
    {{ any_non_null('currency') }}                                                          as currency,
    {{ money('sum(' ~ money('facility_kwh') ~ ' * per_kwh)') }}                  as energy_cost,
    count(*) filter (where per_kwh is null)                                            as minutes_without_tariff
from priced
group by all
