-- Cloud vs on-prem: what a GPU-hour of each model costs per month, by how it was bought, from our own figures
-- (int_gpu_machine_days: the bill's net amortized cost over its billed GPU-hours by purchase option; an on-prem
-- host's daily cost over its GPUs x 24). cost_per_active_gpu_hour divides the cost of machines telemetry observed
-- by the GPU-hours pods held on them, so an uninstrumented machine never inflates it; observed_share says how much
-- of the GPU-hours that is.
with with_active as (

    select * from {{ ref('int_gpu_machine_days') }}

)

select
    cast(date_trunc('month', day) as date)                                      as month,
    coalesce(gpu_model, 'unknown')                                              as gpu_model,
    purchase_option,
    currency,
    count(distinct machine)                                                     as machines,
    sum(gpu_hours)                                                              as gpu_hours,
    sum(cost)                                                                   as cost,
    cast(sum(cost) as double) / nullif(cast(sum(gpu_hours) as double), 0)       as cost_per_gpu_hour,
    cast(coalesce(sum(gpu_hours) filter (where is_observed), 0) as double)
        / nullif(cast(sum(gpu_hours) as double), 0)                             as observed_share,
    cast(coalesce(sum(active_gpu_hours) filter (where is_observed), 0) as decimal(38, 10)) as active_gpu_hours,
    cast(sum(cost) filter (where is_observed) as double)
        / nullif(cast(sum(active_gpu_hours) filter (where is_observed) as double), 0) as cost_per_active_gpu_hour
from with_active
group by all
