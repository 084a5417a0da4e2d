-- Series known to the Prometheus history (labels stored once per series).
select count(*) from raw.prometheus_series
