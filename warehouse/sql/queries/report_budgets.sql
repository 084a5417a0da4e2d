-- Budgets of a month ($month = 'YYYY-MM'): month to date and forecast against each amount, those needing attention
-- first.
select budget_name                                                                 as budget,
       scope || coalesce(' ' || match_value, '')                                   as covers,
       currency,
       round(amount, 2)                                                            as amount,
       round(actual, 2)                                                            as actual,
       round(forecast, 2)                                                          as forecast,
       round(actual_share, 4)                                                      as actual_share,
       round(forecast_share, 4)                                                    as forecast_share,
       basis,
       status
from marts.fct_budget_status
where strftime(month, '%Y-%m') = $month
order by status = 'ok', status = 'warn', budget_name
