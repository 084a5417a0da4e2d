-- Spot savings from the bill (on-demand reference: the bill's public on-demand cost)
select instance_type, availability_zone, round(sum(spot_hours), 1) as spot_hours,
       round(sum(price_paid), 2) as paid, round(sum(on_demand_cost), 2) as on_demand,
       round(sum(savings), 2) as savings, round(sum(savings) / nullif(sum(on_demand_cost), 0), 3) as ratio,
       round(sum(price_paid) / nullif(sum(spot_gpu_hours), 0), 4) as paid_per_gpu_hour
from marts.fct_spot_savings_daily group by all order by savings desc, instance_type
