-- Counter increments between consecutive observed samples of a series. A drop is a reset (the increment is the new
-- value); the first sample of a series contributes nothing; NaN (NULL) samples are skipped, so an increase across
-- a gap is credited to the first sample after it. Nothing is zero-filled.
with counters as (

    select * from {{ ref('stg_telemetry__samples') }}
    where value is not null
      and (metric = 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION'
           or metric like '%\_total' escape '\'
           or metric like '%\_bucket' escape '\'
           or metric like '%\_count' escape '\'
           or metric like '%\_sum' escape '\'
           or metric like 'nv\_inference\_%' escape '\')
      and metric not like '%pending%'  -- nv_inference_pending_request_count is a gauge

),

with_previous as (

    select
        *,
        lag(value) over (partition by metric, series_key order by sample_time) as previous_value
    from counters

)

select
    *,
    previous_value is not null and value < previous_value as is_reset,
    case
        when previous_value is null then 0
        when value < previous_value then value
        else value - previous_value
    end as increment
from with_previous
