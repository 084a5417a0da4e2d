-- Every day of every series checked against a seasonal, outlier-robust baseline of its own recent history.
-- Series (metric):
--   daily_cost            net amortized cost per day, provider, account and service tag (fct_cost_daily), of
--                         usage, purchases and tax: credits and adjustments are contract events, not spend to judge;
--   cost_per_1k_requests  amortized cost per 1,000 requests per service (fct_unit_economics_daily);
--   idle_gpu_cost         cost of idle GPU-hours per provider and service (fct_gpu_efficiency_daily; GPUs no pod
--                         held as 'unallocated').
-- Method (parameters are vars, stated again in columns):
--   history   the series' values on the anomaly_lookback_days days before the day (a day without a row is not
--             history); no verdict with fewer than anomaly_min_history_days of them;
--   expected  the median of the history's values on the same weekday when it holds at least
--             anomaly_min_same_weekday of them (weekly seasonality), else the median of the whole history;
--   scale     the interquartile range of the history / 1.349 (a standard deviation that outliers cannot inflate),
--             at least anomaly_scale_floor_share x |expected| so a flat history does not make every cent an anomaly;
--   score     (actual - expected) / scale; bounds expected ± anomaly_threshold x scale;
--   anomaly   |score| >= anomaly_threshold and, for the money-per-day metrics, |actual - expected| >=
--             anomaly_min_impact (in the series' currency); ranked per day and metric by |actual - expected|.
-- A daily_cost anomaly names its top contributing line items: the (usage type, resource) whose cost that day rose
-- most above its own mean over the history days (a line item absent on a day counts 0 that day).
{% set lookback = var('anomaly_lookback_days') %}
{% set min_history = var('anomaly_min_history_days') %}
{% set min_same_weekday = var('anomaly_min_same_weekday') %}
{% set threshold = var('anomaly_threshold') %}
{% set floor_share = var('anomaly_scale_floor_share') %}
{% set min_impact = var('anomaly_min_impact') %}
{% set top_n = var('anomaly_top_contributors') %}
with resource_currency as (

    -- by machine_key: the GCP bill's global VM name meets the inventory's instance name
    select charge_date as day, {{ machine_key('resource_id') }} as machine, min(billing_currency) as currency
    from {{ ref('fct_cost') }}
    where resource_id is not null
    group by all

),

series as (

    select
        'daily_cost' as metric, charge_date as day, provider_name as provider, sub_account_id as account,
        coalesce(tag_service, 'untagged') as service, billing_currency as currency,
        sum(net_effective_cost) as actual
    from {{ ref('fct_cost_daily') }}
    where charge_category not in ('Credit', 'Adjustment')
    group by all
    union all
    select
        'cost_per_1k_requests' as metric, day, 'all' as provider, 'all' as account, service, currency,
        cost_per_1k_requests_amortized as actual
    from {{ ref('fct_unit_economics_daily') }}
    where cost_per_1k_requests_amortized is not null
    union all
    select
        -- named columns: Spark reads GROUP BY ALL as a column named `all` where one exists
        'idle_gpu_cost' as metric, e.day, e.provider, 'all' as account, coalesce(e.service, 'unallocated') as service,
        c.currency, sum(e.idle_cost) as actual
    from {{ ref('fct_gpu_efficiency_daily') }} as e
    join resource_currency as c on c.day = e.day and c.machine = {{ machine_key('e.resource_id') }}
    where e.idle_cost is not null
    group by all

),

baseline as (

    select
        s.metric, s.day, s.provider, s.account, s.service, s.currency, s.actual,
        count(h.actual)                                                                     as history_days,
        count(h.actual) filter (where dayofweek(h.day) = dayofweek(s.day))                        as same_weekday_days,
        median(cast(h.actual as double))                                                                    as median_all,
        median(cast(h.actual as double)) filter (where dayofweek(h.day) = dayofweek(s.day))                       as median_same_weekday,
        {{ quantile_linear('h.actual', "0.75") }} - {{ quantile_linear('h.actual', "0.25") }}                       as iqr
    from series as s
    left join series as h
        on h.metric = s.metric and h.provider = s.provider and h.account = s.account and h.service = s.service
        and h.currency = s.currency
        and h.day between s.day - interval {{ lookback }} day and s.day - interval 1 day
    group by all

),

scored as (

    select
        *,
        case when same_weekday_days >= {{ min_same_weekday }} then 'same_weekday_median' else 'median' end
                                                                                            as baseline_method,
        case when same_weekday_days >= {{ min_same_weekday }} then median_same_weekday else median_all end
                                                                                            as expected_raw
    from baseline

),

judged as (

    select
        *,
        case when history_days >= {{ min_history }}
             then greatest(iqr / 1.349, {{ floor_share }} * abs(expected_raw)) end         as scale_raw
    from scored

),

flagged as (

    select
        *,
        (actual - expected_raw) / nullif(scale_raw, 0)                                      as score_raw,
        coalesce(
            history_days >= {{ min_history }}
            and abs(actual - expected_raw) >= {{ threshold }} * scale_raw
            and scale_raw > 0
            and (metric = 'cost_per_1k_requests' or abs(actual - expected_raw) >= {{ min_impact }}),
            false)                                                                          as is_anomaly
    from judged

),

item_days as (

    select
        charge_date as day, provider_name as provider, sub_account_id as account,
        coalesce(tag_service, 'untagged') as service, billing_currency as currency,
        coalesce(nullif(x_usage_type, ''), nullif(x_line_item_type, ''), charge_category)    as usage_type,
        coalesce(resource_id, '')                                                           as resource_id,
        sum(net_effective_cost)                                                             as cost
    from {{ ref('fct_cost') }}
    where charge_category not in ('Credit', 'Adjustment')
    group by all

),

contributions as (

    select
        f.day, f.provider, f.account, f.service, f.currency, i.usage_type, i.resource_id,
        f.actual > f.expected_raw                                                           as rose,
        f.history_days,
        coalesce(sum(i.cost) filter (where i.day = f.day), 0)                                     as cost_on_day,
        coalesce(sum(i.cost) filter (where i.day < f.day), 0)                                     as cost_before
    from flagged as f
    join item_days as i
        on i.provider = f.provider and i.account = f.account and i.service = f.service and i.currency = f.currency
        and i.day between f.day - interval {{ lookback }} day and f.day
    where f.is_anomaly and f.metric = 'daily_cost'
    group by all

),

ranked_contributions as (

    select
        *,
        row_number() over (partition by day, provider, account, service, currency
                           order by case when rose then change else -change end desc, usage_type, resource_id)
                                                                                            as contributor_rank
    from (select *, cost_on_day - cast(cost_before as double) / history_days as change from contributions)

),

top_contributors as (

    select
        day, provider, account, service, currency,
        max(usage_type) filter (where contributor_rank = 1)                                       as top_usage_type,
        max(resource_id) filter (where contributor_rank = 1)                                      as top_resource_id,
        max(change) filter (where contributor_rank = 1)                                           as top_change,
        {{ string_agg_ordered("usage_type || ' ' || coalesce(nullif(resource_id, ''), '-') || ' '
                   || case when change >= 0 then '+' else '' end || cast(cast(round(change, 2) as decimal(38, 2)) as string)",
                              "'; '", 'contributor_rank') }}                                  as contributors
    from ranked_contributions
    where contributor_rank <= {{ top_n }}
    group by day, provider, account, service, currency

)

select
    f.metric,
    f.day,
    f.provider,
    f.account,
    f.service,
    f.currency,
    {{ money('f.actual') }}                                                                 as actual,
    {{ money('f.expected_raw') }}                                                           as expected,
    {{ money('f.expected_raw - ' ~ threshold ~ ' * f.scale_raw') }}                         as lower_bound,
    {{ money('f.expected_raw + ' ~ threshold ~ ' * f.scale_raw') }}                         as upper_bound,
    {{ money('f.actual - f.expected_raw') }}                                                as impact,
    cast(f.score_raw as double)                                                             as score,
    f.is_anomaly,
    case when f.is_anomaly then case when f.actual > f.expected_raw then 'above' else 'below' end end
                                                                                            as direction,
    case when f.is_anomaly
         then cast(row_number() over (partition by f.day, f.metric, f.is_anomaly
                                      order by abs(f.actual - f.expected_raw) desc, f.provider, f.account, f.service)
                   as bigint)
    end                                                                                     as anomaly_rank,
    cast(f.history_days as integer)                                                         as history_days,
    cast(f.same_weekday_days as integer)                                                    as same_weekday_days,
    case when f.history_days >= {{ min_history }} then f.baseline_method else 'insufficient_history' end
                                                                                            as baseline_method,
    t.top_usage_type,
    t.top_resource_id,
    {{ money('t.top_change') }}                                                             as top_change,
    t.contributors                                                                          as top_contributors,
    cast({{ lookback }} as integer)                                                         as lookback_days,
    cast({{ threshold }} as double)                                                         as threshold
from flagged as f
left join top_contributors as t
    on f.metric = 'daily_cost' and t.day = f.day and t.provider = f.provider and t.account = f.account
    and t.service = f.service and t.currency = f.currency
