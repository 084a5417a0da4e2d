-- Rows the great-expectations suite fct_training_runs validates: every run.
select *
from marts.fct_training_runs
