-- How much of the GPU time paid for did useful work, per day, machine and service.
--   observed_gpu_hours  GPU-hours telemetry saw (coverage of each GPU-hour);
--   active_gpu_hours    observed GPU-hours weighted by the larger of SM activity and DRAM activity, so
--                       memory-bound decode work is not counted as idle;
--   idle_gpu_hours      observed GPU-hours whose larger activity is below var gpu_idle_threshold (0.10);
--   billed_gpu_hours    the machine's billed GPU-hours that day (cloud bill), shared among its services by observed
--                       GPU-hours; unobserved_gpu_hours = billed - observed (not counted as idle: nobody looked);
--   idle_cost / cost_per_effective_gpu_hour from the machine's net amortized cost (after negotiated discounts) per
--   billed GPU-hour.
-- On-prem machines have no bill: billed figures and costs are NULL, purchase_option 'on_prem'.
{% set threshold = var('gpu_idle_threshold') %}
with hourly as (

    select
        cast(hour_start as date) as day, provider, instance_type, resource_id, hostname, service,
        coverage,
        greatest(coalesce(avg_sm_active, 0), coalesce(avg_dram_active, 0)) as activity
    from {{ ref('fct_gpu_utilization_hourly') }}

),

observed as (

    select
        day, provider, instance_type, resource_id, hostname, service,
        sum(coverage)                                        as observed_gpu_hours,
        sum(coverage * activity)                             as active_gpu_hours,
        sum(coverage) filter (where activity < {{ threshold }})    as idle_gpu_hours
    from hourly
    group by all

),

billed as (

    select
        -- by machine_key: the GCP bill's global VM name meets the inventory's instance name
        charge_date as day, {{ machine_key('resource_id') }} as machine,
        sum(gpu_hours)      as billed_gpu_hours,
        sum(net_effective_cost) as effective_cost,
        sum(billed_cost)    as billed_cost,
        max_by(purchase_option, gpu_hours) as purchase_option
    from {{ ref('fct_gpu_instance_hours_daily') }}
    group by all

),

shared as (

    select
        o.*,
        {{ machine_key('o.resource_id') }} as machine,
        o.observed_gpu_hours / nullif(sum(o.observed_gpu_hours) over (partition by o.day, o.resource_id), 0) as share
    from observed as o

)

select
    s.day,
    s.provider,
    s.instance_type,
    s.resource_id,
    s.hostname,
    s.service,
    coalesce(b.purchase_option, case when s.provider = 'onprem' then 'on_prem' end)   as purchase_option,
    b.billed_gpu_hours * s.share                                                       as billed_gpu_hours,
    s.observed_gpu_hours,
    s.active_gpu_hours,
    coalesce(s.idle_gpu_hours, 0)                                                      as idle_gpu_hours,
    greatest(b.billed_gpu_hours * s.share - s.observed_gpu_hours, 0)                   as unobserved_gpu_hours,
    {{ money('b.effective_cost / nullif(b.billed_gpu_hours, 0)') }}                    as cost_per_billed_gpu_hour,
    {{ money('coalesce(s.idle_gpu_hours, 0) * b.effective_cost / nullif(b.billed_gpu_hours, 0)') }} as idle_cost,
    {{ money('b.effective_cost * s.share / nullif(s.active_gpu_hours, 0)') }}          as cost_per_effective_gpu_hour
from shared as s
left join billed as b using (day, machine)
