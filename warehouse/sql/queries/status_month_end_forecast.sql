-- The newest month's total forecast per currency (marts.fct_cost_forecast): forecast, interval and as-of day.
select strftime(month, '%Y-%m'), billing_currency, forecast, forecast_low, forecast_high, as_of_date, window_days
from marts.fct_cost_forecast
where level = 'total' and month = (select max(month) from marts.fct_cost_forecast)
order by billing_currency
