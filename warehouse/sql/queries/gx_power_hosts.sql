-- Rows the great-expectations suite power_hosts validates: the hosts of the topology file.
select *
from raw.power_hosts
