-- The month's PUE per site: facility energy over IT energy of the matched minutes.
select site, sum(facility_kwh) / nullif(sum(it_kwh), 0)
from marts.fct_site_energy_daily
where day >= cast($month || '-01' as date) and day < cast($month || '-01' as date) + interval 1 month
group by 1
order by 1
