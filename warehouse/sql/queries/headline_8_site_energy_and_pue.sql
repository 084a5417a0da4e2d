-- Site energy and PUE (over minutes with both the utility meter and every PDU)
select site, round(sum(it_kwh), 1) as it_kwh, round(sum(facility_kwh), 1) as facility_kwh,
       round(sum(facility_kwh) / sum(it_kwh), 3) as pue, round(avg(coverage), 4) as coverage,
       currency, round(sum(energy_cost), 2) as energy_cost
from marts.fct_site_energy_daily group by all order by site
