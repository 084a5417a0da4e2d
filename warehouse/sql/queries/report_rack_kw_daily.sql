-- Average rack power per day: hourly averages weighted by the share of each hour observed.
select cast(hour_start as date), rack, sum(avg_kw * coverage) / nullif(sum(coverage), 0)
from marts.fct_power_rack_hourly
where strftime(hour_start, '%Y-%m') = $month
group by all
