-- Facility power readings with the minute they fall in; NULL values (empty / NaN readings) stay NULL.
select
    reading_time,
    date_trunc('minute', reading_time) as reading_minute,
    source,
    device,
    circuit,
    kind,
    metric,
    value
from {{ source('power', 'power_readings') }}
