-- Rows the great-expectations suite fct_budget_status validates: every budget's every month.
select * from marts.fct_budget_status
