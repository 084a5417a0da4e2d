-- Counter increments between consecutive observed samples of a series. A drop is a reset (the increment is the new
-- value); NaN (NULL) samples are skipped, so an increase across a gap is credited to the first sample after it.
-- Nothing is zero-filled.
-- The first sample of a series counts from zero when the exposition says the counter began after observation of
-- its metric began (a new pod): OpenMetrics `<family>_created` of the same labels (le / quantile aside), else the
-- target's `process_start_time_seconds`. Otherwise nothing says when its value was counted, so it contributes
-- nothing and is flagged first_value_left_out (fct_counter_resets_daily counts them).
-- Incremental: only the days with newly loaded raw samples are rebuilt (macros/incremental.sql); each series' last
-- sample before those days is carried from this table, so the first increment of the window is exact.
{{ config(materialized='incremental', incremental_strategy=by_day_strategy(), unique_key='sample_day',
          partition_by=('sample_day' if target.type == 'spark' else none),
          pre_hook="{{ clear_rebuilt_days('sample_day', telemetry_changed_from()) }}") }}
{% set changed_from = telemetry_changed_from() %}
with counters as (

    select * from {{ ref('stg_telemetry__samples') }}
    where value is not null
      and metric in {{ counter_metric_list(changed_from) }}  -- counters (macros/incremental.sql)
      {% if changed_from %}and sample_time >= date '{{ changed_from }}'{% endif %}

),

{% if changed_from %}
carried as (

    -- the last sample of every series before the rebuilt days: it only supplies previous_value
    select metric, series_key, max(sample_time) as sample_time, max_by(value, sample_time) as value
    from {{ this }}
    where sample_time < date '{{ changed_from }}'
    group by metric, series_key

),

carried_from as (

    select metric, min(sample_time) as sample_time from carried group by metric

),

{% endif %}
metric_observed as (

    -- when observation of each metric began here: an aggregate joined back, not a window over the whole metric
    -- (Spark buffers a window's partition whole: millions of a metric's points ran its driver out of memory)
    select metric, min(sample_time) as sample_time from counters group by metric

),

with_previous as (

    select
        c.*,
        {% if changed_from -%}
        coalesce(lag(c.value) over (partition by c.metric, c.series_key order by c.sample_time), k.value)
                                                                                as previous_value,
        -- when observation of the metric began: its earliest sample here or carried (before the window)
        least(o.sample_time, f.sample_time)                                     as observed_from
        {%- else -%}
        lag(c.value) over (partition by c.metric, c.series_key order by c.sample_time) as previous_value,
        -- when observation of the metric began: its earliest sample here
        o.sample_time                                                           as observed_from
        {%- endif %}
    from counters as c
    join metric_observed as o on o.metric = c.metric
    {% if changed_from -%}
    left join carried as k on k.metric = c.metric and k.series_key is not distinct from c.series_key
    left join carried_from as f on f.metric = c.metric
    {%- endif %}

),

-- when counters began, as the expositions state it (seconds since the epoch)
created as (

    select regexp_replace(metric, '_created$', '') as family, {{ counter_identity('series_labels') }} as identity,
           value as started_epoch
    from {{ ref('stg_telemetry__samples') }}
    where metric like '%!_created' escape '!' and value is not null
      {% if changed_from %}and sample_time >= date '{{ changed_from }}'{% endif %}

),

process_starts as (

    select instance, value as started_epoch
    from {{ ref('stg_telemetry__samples') }}
    where metric = 'process_start_time_seconds' and value is not null and instance is not null
      {% if changed_from %}and sample_time >= date '{{ changed_from }}'{% endif %}

),

firsts as (

    -- the first sample of each series in this build, and the latest start stated at or before it
    select
        f.metric, f.series_key, f.sample_time,
        coalesce(
            (select max(c.started_epoch) from created as c
             where c.family = regexp_replace(f.metric, '(_total|_bucket|_count|_sum)$', '')
               and c.identity = {{ counter_identity('f.series_labels') }}
               and c.started_epoch <= {{ epoch_seconds("f.sample_time") }}),
            (select max(p.started_epoch) from process_starts as p
             where p.instance = f.instance and p.started_epoch <= {{ epoch_seconds("f.sample_time") }})
        ) as started_epoch,
        f.observed_from
    from with_previous as f
    where f.previous_value is null

),

judged as (

    select
        w.* {{ star_except() }} (observed_from),
        w.previous_value is null and s.started_epoch is not null
            and s.started_epoch > {{ epoch_seconds("w.observed_from") }}                       as counted_from_zero
    from with_previous as w
    left join firsts as s using (metric, series_key, sample_time)

)

select
    * {{ star_except() }} (counted_from_zero),
    previous_value is not null and value < previous_value as is_reset,
    case
        when previous_value is null and counted_from_zero then value
        when previous_value is null then 0
        when value < previous_value then value
        else value - previous_value
    end as increment,
    previous_value is null and not counted_from_zero and value <> 0 as first_value_left_out,
    cast(sample_time as date) as sample_day,
    now() as _built_at
from judged
