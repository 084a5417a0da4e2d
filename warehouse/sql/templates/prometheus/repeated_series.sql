-- Whether a series is listed twice (overlapping answers).
select count(*) > count(distinct series_id) from _prom_series
