{#- Every point of the answers, typed, with its part and its reason to be quarantined (NULL: good); a bad point keeps
    its text for the quarantine record. A table, not a view: the answers are a few hundred rows (a series each), so
    unnesting them runs on one thread, while the insert from this table of points runs on all of them. A point must
    fall within its part's day. -#}
create or replace temp table _prom_points as
select k, part, ts, sample_time, case when isnan(parsed) then null else parsed end as value, _reason,
       case when _reason is not null then point end as point
from (
    select k, part, point, ts, parsed, sample_time,
           case
               when ts is null then 'timestamp unreadable: ' || coalesce(point[1], 'null')
               when sample_time < day_start or sample_time >= day_start + interval 1 day
                   then 'point outside the day ' || strftime(day_start, '%Y-%m-%d')
               when parsed is null then 'value not a number: ' || coalesce(point[2], 'null')
           end as _reason
    from (
        select k, part, day_start, point, ts, parsed, make_timestamp(cast(ts * 1000000 as bigint)) as sample_time
        from (select k, part, day_start, point, try_cast(point[1] as double) as ts,
                     try_cast(point[2] as double) as parsed
              from (select k, part, day_start, unnest(s."values") as point from _prom_answers where s is not null))
    )
)
