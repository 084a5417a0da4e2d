-- Open anomalies: those on the newest three days of marts.fct_cost_anomalies, largest |impact| first per metric.
select day, metric, provider, account, service, currency, actual, expected, impact, score, top_contributors
from marts.fct_cost_anomalies
where is_anomaly and day > (select max(day) from marts.fct_cost_anomalies) - interval 3 day
order by day desc, metric = 'daily_cost' desc, metric, abs(impact) desc, provider, account, service
