-- Rows the great-expectations suite fct_site_energy_daily validates: the latest 7 days.
select *
from marts.fct_site_energy_daily
where day > (select max(day) from marts.fct_site_energy_daily) - interval 7 day
