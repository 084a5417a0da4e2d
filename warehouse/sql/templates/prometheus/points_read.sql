-- Per part: the points read and the bad ones among them.
select part, count(*), count(*) filter (where _reason is not null) from _prom_points group by part
