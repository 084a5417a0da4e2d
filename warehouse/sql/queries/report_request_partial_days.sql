-- Days of the month with fewer than $partial_below of their hours observed in the request counts.
select cast(hour_start as date)
from marts.fct_requests_hourly
where strftime(hour_start, '%Y-%m') = $month
group by 1
having count(distinct hour_start) < 24 * $partial_below
