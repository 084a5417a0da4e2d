-- Whether a series is listed twice within a part (overlapping answers of one metric and day).
select count(*) > count(distinct (part, series_id)) from _prom_series
