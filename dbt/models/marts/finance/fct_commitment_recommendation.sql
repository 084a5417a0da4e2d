-- Baseline vs burst, per AWS region and GPU model: the steady GPU-hours a commitment should cover, what is committed
-- today, what more to commit and what it would save a month at the bill's own rates. Assumptions are columns.
--   hourly use     GPU-hours of GPU instance usage each hour of the look-back (var commitment_lookback_days, from
--                  the newest hour in the bill, never before its first), on demand and on a commitment; spot is
--                  burst and left out; an hour without usage counts as 0;
--   baseline       the var commitment_baseline_percentile (0.10) of the hourly use (quantile_cont);
--   committed      the mean GPU-hours per hour already on a Savings Plan or reservation;
--   rates          on demand: the bill's cost of on-demand and plan-covered usage per GPU-hour (a covered line's
--                  unblended cost is the on-demand cost); committed: the effective cost per GPU-hour of this GPU's
--                  covered usage, else the bill's plan discount (Σ effective / Σ on-demand cost of all covered GPU
--                  usage) applied to this GPU's on-demand rate, else none (rate_basis says which);
--   to commit      max(baseline - committed, 0) GPU-hours per hour, as a Savings Plan's hourly commitment
--                  (GPU-hours x committed rate) and its monthly saving (x var hours_per_month x rate difference).
{% set lookback = var('commitment_lookback_days') %}
{% set pct = var('commitment_baseline_percentile') %}
{% set month_hours = var('hours_per_month') %}
with gpus as (

    select * from {{ ref('gpu_instance_types') }}

),

lines as (

    select
        c.region_id,
        g.gpu_model,
        c.billing_currency,
        date_trunc('hour', c.charge_period_start)                               as hour_start,
        c.x_line_item_type in ('SavingsPlanCoveredUsage', 'DiscountedUsage')    as committed,
        c.x_line_item_type                                                      as line_item_type,
        c.consumed_quantity * c.x_gpu_count                                     as gpu_hours,
        c.billed_cost,
        c.effective_cost
    from {{ ref('fct_cost') }} as c
    join gpus as g on g.provider_name = c.provider_name and g.instance_type = c.x_instance_type
    where c.provider_name = 'AWS'
      and c.charge_category = 'Usage'
      and c.consumed_unit = 'Hrs'
      and c.pricing_category is distinct from 'Dynamic'
      and c.x_line_item_type is distinct from 'SavingsPlanNegation'

),

window_bounds as (

    select
        greatest(min(hour_start), max(hour_start) - interval {{ lookback | int * 24 - 1 }} hour) as window_start,
        max(hour_start)                                                                      as window_end
    from lines

),

series as (

    select distinct region_id, gpu_model, billing_currency from lines

),

spine as (

    select s.*, t.hour_start
    from series as s, window_bounds as w,
         {{ lateral_series('w.window_start', 'w.window_end', 'interval 1 hour') }} as t(hour_start)

),

hourly as (

    select
        sp.region_id, sp.gpu_model, sp.billing_currency, sp.hour_start,
        coalesce(sum(l.gpu_hours), 0)                                           as used,
        coalesce(sum(l.gpu_hours) filter (where l.committed), 0)                      as committed
    from spine as sp
    left join lines as l
        on l.region_id is not distinct from sp.region_id and l.gpu_model = sp.gpu_model
       and l.billing_currency = sp.billing_currency and l.hour_start = sp.hour_start
    group by all

),

use_stats as (

    select
        region_id, gpu_model, billing_currency,
        count(*)                                                                as hours_observed,
        avg(used)                                                               as mean_gpu_hours_per_hour,
        max(used)                                                               as peak_gpu_hours_per_hour,
        {{ quantile_linear('used', pct) }}                                          as baseline_gpu_hours_per_hour,
        avg(committed)                                                          as committed_gpu_hours_per_hour
    from hourly
    group by all

),

rates as (

    select
        region_id, gpu_model, billing_currency,
        sum(billed_cost) filter (where line_item_type in ('Usage', 'SavingsPlanCoveredUsage'))
            / nullif(sum(gpu_hours) filter (where line_item_type in ('Usage', 'SavingsPlanCoveredUsage')), 0)
                                                                                as on_demand_rate,
        sum(effective_cost) filter (where committed) / nullif(sum(gpu_hours) filter (where committed), 0)
                                                                                as own_committed_rate
    from lines, window_bounds as w
    where lines.hour_start between w.window_start and w.window_end
    group by all

),

plan_discount as (

    select billing_currency,
           sum(effective_cost) / nullif(sum(billed_cost), 0)                    as discount_ratio
    from lines, window_bounds as w
    where line_item_type = 'SavingsPlanCoveredUsage' and lines.hour_start between w.window_start and w.window_end
    group by all

),

final as (

    select
        'AWS'                                                                   as provider_name,
        u.region_id,
        u.gpu_model,
        u.billing_currency,
        {{ lookback }}                                                          as lookback_days,
        cast({{ pct }} as double)                                               as baseline_percentile,
        w.window_start,
        w.window_end,
        u.hours_observed,
        cast(u.mean_gpu_hours_per_hour as double)                               as mean_gpu_hours_per_hour,
        cast(u.peak_gpu_hours_per_hour as double)                               as peak_gpu_hours_per_hour,
        cast(u.baseline_gpu_hours_per_hour as double)                           as baseline_gpu_hours_per_hour,
        cast(u.committed_gpu_hours_per_hour as double)                          as committed_gpu_hours_per_hour,
        greatest(cast(u.baseline_gpu_hours_per_hour as double)
                 - cast(u.committed_gpu_hours_per_hour as double), 0)           as to_commit_gpu_hours_per_hour,
        {{ money('r.on_demand_rate') }}                                         as on_demand_rate_per_gpu_hour,
        {{ money('coalesce(r.own_committed_rate, r.on_demand_rate * d.discount_ratio)') }}
                                                                                as committed_rate_per_gpu_hour,
        case when r.own_committed_rate is not null then 'this GPU''s covered usage in the bill'
             when d.discount_ratio is not null then 'the bill''s plan discount on other GPUs'
             else 'no commitment in the bill: no rate' end                      as rate_basis,
        {{ month_hours }}                                                       as hours_per_month
    from use_stats as u
    cross join window_bounds as w
    left join rates as r using (region_id, gpu_model, billing_currency)
    left join plan_discount as d using (billing_currency)

)

select
    *,
    {{ money('to_commit_gpu_hours_per_hour * committed_rate_per_gpu_hour') }}  as hourly_commitment,
    {{ money('to_commit_gpu_hours_per_hour * hours_per_month
              * (on_demand_rate_per_gpu_hour - committed_rate_per_gpu_hour)') }} as monthly_saving
from final
