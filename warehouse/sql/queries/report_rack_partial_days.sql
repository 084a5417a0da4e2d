-- Days on which some rack had less than $partial_below of the day observed.
select cast(hour_start as date)
from marts.fct_power_rack_hourly
where strftime(hour_start, '%Y-%m') = $month
group by cast(hour_start as date), rack
having sum(coverage) < 24 * $partial_below
