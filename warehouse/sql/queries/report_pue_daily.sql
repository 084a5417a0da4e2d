-- PUE per site and day of the month.
select day, site, pue
from marts.fct_site_energy_daily
where strftime(day, '%Y-%m') = $month
