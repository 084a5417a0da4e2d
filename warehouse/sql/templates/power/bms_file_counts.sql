-- One staged file: rows, rejected rows, valid rows of the day, and missing (NaN or empty) readings of the day.
select count(*), count(_reason), count(*) filter (_reason is null and _day = $day),
       count(*) filter (_reason is null and _rank = 1 and value is null and _day = $day)
from {{ table | relation }}
