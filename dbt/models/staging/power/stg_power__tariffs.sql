-- The energy price of each site by minute of the day: [from_minute, to_minute) bands, wrapping past midnight.
select site, currency, from_minute, to_minute, per_kwh
from {{ source('power', 'power_tariffs') }}
