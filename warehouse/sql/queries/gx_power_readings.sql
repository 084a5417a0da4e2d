-- Rows the great-expectations suite power_readings validates: the latest day loaded, every source.
select *
from raw.power_readings
where _partition like '%/' || (select max(split_part(_partition, '/', 2)) from raw.power_readings)
