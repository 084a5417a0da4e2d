-- The valid readings of one day from one staged file, each (device, minute, metric) once per partition.
insert into raw.power_readings
select reading_time, 'bms', site, room, rack, device, null, 'meter', $metric, value, $path, line, $partition_key,
       $load_id, now()
from {{ table | relation }} f
where _reason is null and _rank = 1 and _day = $day
  and not exists (select 1 from raw.power_readings t where t._partition = $partition_key and t.device = f.device
                  and t.reading_time = f.reading_time and t.metric = $metric)
