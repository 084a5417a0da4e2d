-- One series of marts.fct_cost_anomalies over a month: the actual value beside its expected band, per day.
select day, cast(actual as double), cast(lower_bound as double), cast(upper_bound as double), is_anomaly
from marts.fct_cost_anomalies
where strftime(day, '%Y-%m') = $month and metric = $metric and provider = $provider and account = $account
  and service = $service and currency = $currency
order by day
