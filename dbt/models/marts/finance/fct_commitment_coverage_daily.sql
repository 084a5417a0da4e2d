-- GPU-hours per day, service and GPU model by how they were bought: on a commitment (Savings Plan, reservation,
-- committed use), on demand, spot, or on-prem, and the commitment coverage of the hours a commitment could have
-- covered (committed / (committed + on demand); spot and on-prem hours are never commitment-eligible).
-- Cloud hours come from the bill (fct_gpu_instance_hours_daily, service = the bill's service tag); on-prem hours are
-- the GPU-hours telemetry observed on on-prem hosts (fct_gpu_utilization_hourly, service = the pod's workload).
-- Hours only: the cost per purchase option waits for fct_gpu_instance_hours_daily to carry its billing currency.
with cloud as (

    select
        charge_date,
        tag_service                                                         as service,
        gpu_model,
        case when purchase_option in ('savings_plan', 'reserved', 'committed_use', 'commitment') then 'committed'
             else purchase_option end                                       as bought,
        gpu_hours
    from {{ ref('fct_gpu_instance_hours_daily') }}
    where purchase_option <> 'on_prem'

),

on_prem as (

    select
        cast(hour_start as date)                                            as charge_date,
        service,
        {{ gpu_model_of('model_name') }}                                    as gpu_model,
        'on_prem'                                                           as bought,
        cast(sum(coverage) as decimal(38, 10))                              as gpu_hours
    from {{ ref('fct_gpu_utilization_hourly') }}
    where provider = 'onprem'
    group by all

),

hours as (

    select * from cloud
    union all
    select * from on_prem

),

final as (

    select
        charge_date,
        coalesce(service, 'untagged')                                       as service,
        coalesce(gpu_model, 'unknown')                                      as gpu_model,
        coalesce(sum(gpu_hours) filter (where bought = 'committed'), 0)           as committed_gpu_hours,
        coalesce(sum(gpu_hours) filter (where bought = 'on_demand'), 0)           as on_demand_gpu_hours,
        coalesce(sum(gpu_hours) filter (where bought = 'spot'), 0)                as spot_gpu_hours,
        coalesce(sum(gpu_hours) filter (where bought = 'on_prem'), 0)             as on_prem_gpu_hours
    from hours
    group by all

)

select
    *,
    case when committed_gpu_hours + on_demand_gpu_hours > 0
         then cast(committed_gpu_hours as double) / cast(committed_gpu_hours + on_demand_gpu_hours as double)
    end                                                                     as coverage
from final
