-- What fct_cost holds per provider, billing period and currency.
select provider_name, strftime(billing_period_start, '%Y-%m') as billing_period,
       coalesce(billing_currency, '?') as currency, sum(billed_cost) as actual
from marts.fct_cost group by all
