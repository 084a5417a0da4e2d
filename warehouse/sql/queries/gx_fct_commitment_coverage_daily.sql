-- Rows the great-expectations suite fct_commitment_coverage_daily validates: the latest 7 days.
select *
from marts.fct_commitment_coverage_daily
where charge_date > (select max(charge_date) from marts.fct_commitment_coverage_daily) - interval 7 day
