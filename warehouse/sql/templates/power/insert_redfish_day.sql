-- The day's readings of the walks (registered as _redfish_staged), each (device, circuit, kind, metric, time) once.
insert into raw.power_readings
select reading_time, 'redfish', null, null, null, device, circuit, kind, metric, value, file, line, $partition_key,
       $load_id, now()
from _redfish_staged where strftime(reading_time, '%Y-%m-%d') = $day
qualify row_number() over (partition by device, circuit, kind, metric, reading_time order by file, line) = 1
