-- A budget's ($budget) row of the newest month in marts.fct_budget_status.
select month, budget_name, scope, match_value, currency, amount, warn_at_percent, basis, as_of_date, actual,
       forecast, actual_share, forecast_share, status
from marts.fct_budget_status
where budget_name = $budget
order by month desc
limit 1
