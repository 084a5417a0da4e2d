{#- One BMS/meter CSV (read as text into _bms_raw) typed and judged, every row kept: its reading time in UTC (an
    offset is honoured, else the `$timezone` applies), its value scaled to kW or kWh (`$scale`), its reason to be
    quarantined or NULL, its rank among the valid rows of the same device and minute, and its day. The columns are
    the file's own names for each role (`site`, `room`, `rack` may be absent). -#}
{% macro opt(c) %}{% if c %}nullif(trim({{ c | ident }}), ''){% else %}null{% endif %}{% endmacro %}
create or replace temp table {{ table | relation }} as
with typed as (
    select file_row_number + 2 as line, trim({{ timestamp | ident }}) as ts_text,
           {{ opt(site) }} as site, {{ opt(room) }} as room, {{ opt(rack) }} as rack,
           nullif(trim({{ device | ident }}), '') as device, nullif(trim({{ value | ident }}), '') as v
    from _bms_raw
),
timed as (
    select *,
        case when regexp_matches(ts_text, '(Z|[+-]\d{2}:?\d{2})$')
             then try_cast(ts_text as timestamptz) at time zone 'UTC'
             else timezone($timezone, try_cast(ts_text as timestamp)) at time zone 'UTC' end as reading_time,
        case when v is null or lower(v) = 'nan' then null else try_cast(v as double) * $scale end as value
    from typed
),
judged as (
    select *,
        case
            when reading_time is null then 'timestamp unreadable: ' || coalesce(ts_text, 'empty')
            when device is null then 'no device (pdu or meter) named'
            when v is not null and lower(v) <> 'nan' and value is null then 'reading not a number: ' || v
        end as _reason
    from timed
)
-- repeats are ranked among the valid rows only: a bad row never hides a valid reading of the same minute
select *, row_number() over (partition by device, reading_time, _reason is null order by line) as _rank,
       strftime(reading_time, '%Y-%m-%d') as _day
from judged
