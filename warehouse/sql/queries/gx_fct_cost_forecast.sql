-- Rows the great-expectations suite fct_cost_forecast validates: every month's forecast (one row per service).
select * from marts.fct_cost_forecast
