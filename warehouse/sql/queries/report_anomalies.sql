-- Anomalies of a month ($month = 'YYYY-MM'), largest |impact| first within each metric: what, where, how far off,
-- and the line item that moved most (daily cost).
select day, metric, provider, account, service, currency,
       round(actual, 4)                                                            as actual,
       round(expected, 4)                                                          as expected,
       round(upper_bound, 4)                                                       as upper_bound,
       round(score, 1)                                                             as score,
       top_contributors
from marts.fct_cost_anomalies
where is_anomaly and strftime(day, '%Y-%m') = $month
order by metric = 'daily_cost' desc, metric, abs(impact) desc, day, provider, account, service
