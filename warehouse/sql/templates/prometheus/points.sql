{#- The points as a view: good points stream into the table, the (rare) bad ones are found in a second pass. When a
    series is listed twice, its points are ranked so each (series, time) loads once. `day` is the partition's day. -#}
create or replace temp view _prom_points as
select p.*, s.series_id, s.name, s.filename,
       {% if repeated_series %}row_number() over (partition by s.series_id, ts order by s.filename, s.k){% else %}1{% endif %} as _rank,
       case
           when ts is null then 'timestamp unreadable: ' || coalesce(point[1], 'null')
           when sample_time < {{ day | literal }}::timestamp or sample_time >= {{ day | literal }}::timestamp + interval 1 day
               then {{ ('point outside the day ' ~ day) | literal }}
           when parsed is null then 'value not a number: ' || coalesce(point[2], 'null')
       end as _reason
from (
    select k, point, ts, parsed, case when isnan(parsed) then null else parsed end as value,
           make_timestamp(cast(ts * 1000000 as bigint)) as sample_time
    from (select k, point, try_cast(point[1] as double) as ts, try_cast(point[2] as double) as parsed
          from (select k, unnest(s."values") as point from _prom_answers where s is not null))
) p
join _prom_series s using (k)
