-- The utility meters of each site (topology file): their energy is the facility side of PUE.
select site, meter
from {{ source('power', 'power_meters') }}
