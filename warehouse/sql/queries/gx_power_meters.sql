-- Rows the great-expectations suite power_meters validates: the meters of the topology file.
select *
from raw.power_meters
