-- Counter health per day, service and metric: how many series were seen, how many times one was reset (a restart of
-- the process that counts), and the series whose first value was counted from zero (the exposition says the counter
-- began inside the observed window) or left out (nothing says when it was counted). Counted per metric: one restart
-- of a vLLM server resets every bucket series of its histograms, and a sum over all counters would count it dozens of
-- times.
select
    sample_day                                         as day,
    service,
    metric,
    count(distinct series_key)                         as series,
    count(*) filter (where is_reset)                         as resets,
    count(*) filter (where previous_value is null and not first_value_left_out and increment <> 0)
                                                       as first_values_counted,
    count(*) filter (where first_value_left_out)             as first_values_left_out
from {{ ref('int_telemetry__counter_deltas') }}
group by all
