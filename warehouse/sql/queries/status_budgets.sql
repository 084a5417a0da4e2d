-- Every budget's newest month in marts.fct_budget_status, those needing attention first.
select budget_name, strftime(month, '%Y-%m'), currency, amount, actual, forecast, actual_share, forecast_share, basis,
       status
from marts.fct_budget_status
qualify row_number() over (partition by budget_name order by month desc) = 1
order by status = 'ok', status = 'warn', budget_name
