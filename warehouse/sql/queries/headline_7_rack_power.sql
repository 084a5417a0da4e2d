-- Racks: power, headroom and the GPU share (facility meters and Redfish PDUs)
select site, rack, round(avg(avg_kw), 2) as avg_kw, round(max(peak_kw), 2) as peak_kw,
       round(min(headroom_kw), 2) as min_headroom_kw, round(sum(kwh), 1) as kwh,
       round(avg(gpu_share), 3) as gpu_share, round(avg(coverage), 3) as coverage
from marts.fct_power_rack_hourly group by all order by site, rack
