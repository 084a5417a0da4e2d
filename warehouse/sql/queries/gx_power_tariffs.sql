-- Rows the great-expectations suite power_tariffs validates: the tariff bands of the topology file.
select *
from raw.power_tariffs
