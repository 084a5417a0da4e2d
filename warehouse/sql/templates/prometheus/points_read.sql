-- Per part: the points read, the bad ones among them, and the NaN ones among the good (stored as NULL values: a gap
-- the marts see).
select part, count(*), count(*) filter (where _reason is not null),
       count(*) filter (where _reason is null and value is null)
from _prom_points group by part
