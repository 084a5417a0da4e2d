-- Power of each device (PDU or meter) per minute, from the best reading available for that minute:
--   1. a BMS kW reading; 2. a BMS kWh counter; 3. the Redfish mains EnergykWh counters; 4. the Redfish mains
--   PowerWatts (both summed over a PDU's mains circuits). Counter increments: since the previous reading of the same
--   register; a drop is a reset and the increment is the new value; the first reading contributes nothing; an
--   increase across a gap is credited to the reading after it (kw = increment / elapsed hours).
-- kwh = energy attributed to the minute (kW / 60 for a power reading, the increment for a counter).
-- Minutes without a reading have no row: gaps stay gaps, NULL readings are missing, never 0.
-- Incremental: only the days with newly loaded raw readings are rebuilt (macros/incremental.sql); each register's
-- last reading before those days is read again, so the first increment of the window is exact.
{{ config(materialized='incremental', incremental_strategy=by_day_strategy(), unique_key='reading_day',
          partition_by=('reading_day' if target.type == 'spark' else none),
          pre_hook="{{ clear_rebuilt_days('reading_day', power_changed_from()) }}") }}
{% set changed_from = power_changed_from() %}
with readings as (

    select * from {{ ref('stg_power__readings') }} where value is not null
      {% if changed_from %}and reading_time >= date '{{ changed_from }}'{% endif %}

),

{% if changed_from %}
carried as (

    -- every register's last reading before the rebuilt days: it only supplies the previous value
    select source, device, circuit, kind, metric, max(reading_time) as reading_time,
           max_by(value, reading_time) as value
    from {{ ref('stg_power__readings') }}
    where value is not null and reading_time < date '{{ changed_from }}'
      and metric = 'energy_kwh' and (source = 'bms' or (source = 'redfish' and kind = 'mains'))
    group by source, device, circuit, kind, metric

),

{% endif %}
bms_power as (

    select reading_minute, device, avg(value) as kw, avg(value) / cast(60 as double) as kwh, 1 as source_rank, false as is_reset
    from readings
    where source = 'bms' and metric = 'power_kw'
    group by all

),

counters as (

    select
        source, reading_time, reading_minute, device, circuit, value,
        lag(value) over w        as previous_value,
        lag(reading_time) over w as previous_time
    from (
        select source, reading_time, date_trunc('minute', reading_time) as reading_minute, device, circuit, value
        from readings
        where metric = 'energy_kwh' and (source = 'bms' or (source = 'redfish' and kind = 'mains'))
        {% if changed_from %}
        union all
        select source, reading_time, date_trunc('minute', reading_time), device, circuit, value from carried
        {% endif %}
    )
    window w as (partition by source, device, circuit order by reading_time)

),

energy as (

    select
        reading_minute,
        device,
        sum(increment / ({{ seconds_between('previous_time', 'reading_time') }} / cast(3600 as double))) as kw,
        sum(increment)                                                   as kwh,
        case {{ any_non_null('source') }} when 'bms' then 2 else 3 end              as source_rank,
        bool_or(is_reset)                                                as is_reset
    from (
        select *,
               value < previous_value as is_reset,
               case when value < previous_value then value else value - previous_value end as increment
        from counters
        where previous_value is not null and reading_time > previous_time
    )
    group by reading_minute, device, source

),

redfish_power as (

    select reading_minute, device, sum(value) as kw, sum(value) / cast(60 as double) as kwh, 4 as source_rank, false as is_reset
    from readings
    where source = 'redfish' and kind = 'mains' and metric = 'power_kw'
    group by all

),

unioned as (

    select * from bms_power
    union all select * from energy
    union all select * from redfish_power

)

select reading_minute, device, kw, kwh, is_reset,
       case source_rank when 1 then 'bms_kw' when 2 then 'bms_kwh_counter' when 3 then 'redfish_kwh_counter'
           else 'redfish_power' end as reading_source,
       cast(reading_minute as date) as reading_day,
       now()                        as _built_at
from unioned
qualify row_number() over (partition by device, reading_minute order by source_rank) = 1
