-- Month-end forecast of amortized net cost (net_effective_cost) per service and in total, with an interval, and its
-- accuracy on past months. Method (a run rate, stated in the columns):
--   as of        the newest day with cost in the month (for a past month: var forecast_backtest_day, its backtest);
--   run rate     the mean daily cost of the last var forecast_window_days days up to it (a day without cost is 0);
--   forecast     month to date + run rate x days left;
--   interval     forecast ± var forecast_interval_z x the daily standard deviation x sqrt(days left) (the days left
--                taken as independent draws like the window's days); none with a single day of history;
--   backtest     a month that ended: its actual total and the forecast's error against it.
{% set window = var('forecast_window_days') %}
{% set z = var('forecast_interval_z') %}
{% set backtest_day = var('forecast_backtest_day') %}
with daily as (

    select charge_date, tag_service as service, billing_currency, sum(net_effective_cost) as cost
    from {{ ref('fct_cost_daily') }}
    group by all
    union all
    select charge_date, 'all services' as service, billing_currency, sum(net_effective_cost) as cost
    from {{ ref('fct_cost_daily') }}
    group by all

),

months as (

    select
        date_trunc('month', charge_date)                                         as month,
        max(charge_date)                                                         as newest_day
    from daily
    group by all

),

latest as (

    select max(newest_day) as newest from months

),

as_of as (

    -- a month that ended before the newest data is backtested as of its backtest day; the newest month is forecast
    -- as of its newest day
    select
        m.month,
        cast(case when m.month < date_trunc('month', l.newest)
                  then least(m.month + interval {{ backtest_day | int - 1 }} day, last_day(m.month))
                  else m.newest_day end as date)                                 as as_of_date,
        m.month < date_trunc('month', l.newest)                                  as month_ended,
        day(last_day(m.month))                                                   as days_in_month
    from months as m, latest as l

),

series as (

    select distinct d.service, d.billing_currency, date_trunc('month', d.charge_date) as month from daily as d

),

spine as (

    -- every day of the month up to its as-of day, for every service with cost in the month (a gap is 0)
    select s.service, s.billing_currency, s.month, a.as_of_date, a.month_ended, a.days_in_month,
           cast(t.day as date) as day
    from series as s
    join as_of as a using (month)
    cross join {{ lateral_series('s.month', 'a.as_of_date', 'interval 1 day') }} as t(day)

),

to_date as (

    select
        sp.month, sp.service, sp.billing_currency, sp.as_of_date, sp.month_ended, sp.days_in_month,
        sum(coalesce(d.cost, 0))                                                 as month_to_date,
        avg(coalesce(d.cost, 0)) filter (where sp.day > sp.as_of_date - interval {{ window | int }} day)
                                                                                 as run_rate,
        stddev_samp(cast(coalesce(d.cost, 0) as double)) filter (where sp.day > sp.as_of_date - interval {{ window | int }} day)
                                                                                 as daily_sd,
        count(*) filter (where sp.day > sp.as_of_date - interval {{ window | int }} day)   as window_days
    from spine as sp
    left join daily as d
        on d.service = sp.service and d.billing_currency = sp.billing_currency and d.charge_date = sp.day
    group by all

),

actuals as (

    select date_trunc('month', charge_date) as month, service, billing_currency, sum(cost) as actual
    from daily
    group by all

),

final as (

    select
        cast(t.month as date)                                                    as month,
        t.service,
        t.billing_currency,
        case when t.service = 'all services' then 'total' else 'service' end     as level,
        t.as_of_date,
        cast(day(t.as_of_date) as integer)                                       as days_elapsed,
        cast(t.days_in_month - day(t.as_of_date) as integer)                     as days_left,
        cast(t.window_days as integer)                                           as window_days,
        'run rate of the last {{ window }} days'                                 as method,
        {{ money('t.month_to_date') }}                                           as month_to_date,
        {{ money('t.run_rate') }}                                                as run_rate_per_day,
        {{ money('t.month_to_date + t.run_rate * (t.days_in_month - day(t.as_of_date))') }}
                                                                                 as forecast,
        {{ money(z ~ ' * t.daily_sd * sqrt(t.days_in_month - day(t.as_of_date))') }}
                                                                                 as interval_half_width,
        t.month_ended,
        case when t.month_ended then {{ money('a.actual') }} end                 as actual
    from to_date as t
    left join actuals as a using (month, service, billing_currency)

)

select
    *,
    forecast - interval_half_width                                               as forecast_low,
    forecast + interval_half_width                                               as forecast_high,
    case when actual is not null and actual <> 0
         then cast(abs(forecast - actual) as double) / cast(abs(actual) as double) end
                                                                                 as backtest_abs_pct_error,
    case when actual is not null and interval_half_width is not null
         then actual between forecast - interval_half_width and forecast + interval_half_width end
                                                                                 as backtest_within_interval
from final
