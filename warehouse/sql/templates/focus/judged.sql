-- A row that money or time depends on cannot load without a cost, currency, charge period, the delivery's billing
-- period and a FOCUS charge category: the reason, or NULL.
create or replace temp table _focus_judged as
select *, case
    when billed_cost is null then 'billed_cost missing or unreadable'
    when billing_currency is null then 'billing_currency missing'
    when charge_period_start is null then 'charge_period_start missing or unreadable'
    when billing_period_start is null then 'billing_period_start missing or unreadable'
    when strftime(billing_period_start, '%Y-%m') <> $period then 'billing period '
         || strftime(billing_period_start, '%Y-%m') || ' is not the delivery''s billing period ' || $period
    when charge_category not in ({{ categories | map('literal') | join(', ') }})
         then 'charge_category ' || charge_category || ' is not FOCUS'
end as _reason
from _focus_typed
