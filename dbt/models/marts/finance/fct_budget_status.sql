-- Every budget (var budgets: the configuration's budgets_file, passed by the pipeline) in every month with cost in its
-- currency: the month to date, the month-end forecast, and the status.
--   actual     Σ net_effective_cost (amortized, after credits and discounts) of the budget's scope: everything, one
--              service tag, one team tag (when 'team' is an allocation tag key) or one account;
--   forecast   the month still running: actual + the run rate (mean daily cost of the last forecast_window_days days
--              up to the newest day with cost, a day without cost counting 0) x the days left, fct_cost_forecast's
--              method; a month that has ended: its actual;
--   status     'over' when actual >= amount; 'warn' when the budget's basis (actual or forecast) reaches
--              warn_at_percent of the amount; else 'ok'.
{% set budgets = var('budgets') %}
{% set window = var('forecast_window_days') %}
{% set has_team = 'team' in var('allocation_tag_keys') %}
with budgets as (

    {% if budgets | length == 0 %}
    select
        cast(null as string) as budget_name, cast(null as string) as scope, cast(null as string) as match_value,
        cast(null as decimal(38, 10)) as amount, cast(null as string) as currency,
        cast(null as double) as warn_at_percent, cast(null as string) as basis
    where false
    {% else %}
    select
        budget_name, scope, match_value, cast(amount as decimal(38, 10)) as amount, currency,
        cast(warn_at_percent as double) as warn_at_percent, basis
    from (values
        {%- for b in budgets %}
        ('{{ b.name }}', '{{ b.scope }}', {{ "null" if b.match is none else "'" ~ (b.match | replace("'", "''")) ~ "'" }},
         '{{ b.amount }}', '{{ b.currency }}', {{ b.warn_at_percent }}, '{{ b.basis }}'){{ "," if not loop.last }}
        {%- endfor %}
    ) as t(budget_name, scope, match_value, amount, currency, warn_at_percent, basis)
    {% endif %}

),

costs as (

    select
        charge_date, billing_currency, coalesce(tag_service, 'untagged') as service,
        {% if has_team %}coalesce(tag_team, 'untagged'){% else %}cast(null as string){% endif %} as team,
        sub_account_id, net_effective_cost
    from {{ ref('fct_cost_daily') }}

),

newest as (

    select date_trunc('month', charge_date) as month, max(charge_date) as newest_day
    from costs
    group by all

),

months as (

    select
        n.month, n.newest_day,
        n.month < (select max(date_trunc('month', newest_day)) from newest)           as month_ended,
        day(last_day(n.month))                                                        as days_in_month
    from newest as n

),

budget_months as (

    select b.*, m.month, m.newest_day, m.month_ended, m.days_in_month
    from budgets as b
    cross join months as m
    where exists (select 1 from costs as c where c.billing_currency = b.currency
                  and date_trunc('month', c.charge_date) = m.month)

),

daily as (

    select bm.budget_name, bm.month, c.charge_date, sum(c.net_effective_cost) as cost
    from budget_months as bm
    join costs as c
        on c.billing_currency = bm.currency and date_trunc('month', c.charge_date) = bm.month
        and (bm.scope = 'total'
             or (bm.scope = 'service' and c.service = bm.match_value)
             or (bm.scope = 'team' and c.team = bm.match_value)
             or (bm.scope = 'account' and c.sub_account_id = bm.match_value))
    group by all

),

spine as (

    select bm.budget_name, bm.month, cast(t.day as date) as day
    from budget_months as bm
    cross join {{ lateral_series('bm.month', 'bm.newest_day', 'interval 1 day') }} as t(day)

),

to_date as (

    select
        s.budget_name, s.month,
        sum(coalesce(d.cost, 0))                                                      as actual,
        avg(coalesce(d.cost, 0)) filter (where s.day > bm.newest_day - interval {{ window | int }} day)
                                                                                      as run_rate
    from spine as s
    join budget_months as bm using (budget_name, month)
    left join daily as d on d.budget_name = s.budget_name and d.charge_date = s.day
    group by all

),

judged as (

    select
        bm.*,
        t.actual,
        t.run_rate,
        case when bm.month_ended then t.actual
             else t.actual + t.run_rate * (bm.days_in_month - day(bm.newest_day)) end as forecast
    from budget_months as bm
    join to_date as t using (budget_name, month)

)

select
    cast(month as date)                                                               as month,
    budget_name,
    scope,
    match_value,
    currency,
    {{ money('amount') }}                                                             as amount,
    warn_at_percent,
    basis,
    newest_day                                                                        as as_of_date,
    month_ended,
    {{ money('actual') }}                                                             as actual,
    {{ money('run_rate') }}                                                           as run_rate_per_day,
    {{ money('forecast') }}                                                           as forecast,
    cast(actual as double) / cast(amount as double)                                   as actual_share,
    cast(forecast as double) / cast(amount as double)                                 as forecast_share,
    {{ money('amount - actual') }}                                                    as remaining,
    case when actual >= amount then 'over'
         when (case when basis = 'actual' then actual else forecast end) * 100 >= amount * warn_at_percent
         then 'warn'
         else 'ok' end                                                                as status
from judged
