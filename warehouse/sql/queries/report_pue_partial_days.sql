-- Site-days of the month whose PUE covers less than $partial_below of the day's minutes.
select day
from marts.fct_site_energy_daily
where strftime(day, '%Y-%m') = $month and coverage < $partial_below
