-- Rows the great-expectations suite power_topology validates: the racks of the topology file.
select *
from raw.power_racks
