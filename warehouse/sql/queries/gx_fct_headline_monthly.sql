-- Rows the great-expectations suite fct_headline_monthly validates: the latest 2 months.
select *
from marts.fct_headline_monthly
where month >= (select max(month) from marts.fct_headline_monthly) - interval 1 month
