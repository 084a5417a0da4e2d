-- Counter increments between consecutive observed samples of a series. A drop is a reset (the increment is the new
-- value); the first sample of a series contributes nothing; NaN (NULL) samples are skipped, so an increase across
-- a gap is credited to the first sample after it. Nothing is zero-filled.
-- Incremental: only the days with newly loaded raw samples are rebuilt (macros/incremental.sql); each series' last
-- sample before those days is carried from this table, so the first increment of the window is exact.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='sample_day',
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
    select metric, series_key, max(sample_time) as sample_time, arg_max(value, sample_time) as value, true as carried
    from {{ this }}
    where sample_time < date '{{ changed_from }}'
    group by metric, series_key

),

{% endif %}
with_previous as (

    select
        *,
        lag(value) over (partition by metric, series_key order by sample_time) as previous_value
    from (
        select *, false as carried from counters
        {% if changed_from %}union all by name select * from carried{% endif %}
    )

)

select
    * exclude (carried),
    previous_value is not null and value < previous_value as is_reset,
    case
        when previous_value is null then 0
        when value < previous_value then value
        else value - previous_value
    end as increment,
    cast(sample_time as date) as sample_day,
    now() as _built_at
from with_previous
where not carried
