-- Billed GPU capacity per day: instance-hours of GPU instance types times their GPUs, with what it cost.
-- Savings Plan negation rows carry no usage and are excluded; their cost effect is in effective_cost.
with costs as (

    select * from {{ ref('fct_cost') }}
    where charge_category = 'Usage'
      and x_gpu_count is not null
      and x_line_item_type <> 'SavingsPlanNegation'
      and consumed_unit = 'Hrs'

),

final as (

    select
        charge_date,
        provider_name,
        sub_account_id,
        resource_id,
        x_instance_type                     as instance_type,
        tag_service,
        case
            when x_line_item_type = 'SavingsPlanCoveredUsage' then 'savings_plan'
            when x_line_item_type = 'DiscountedUsage' then 'reserved'
            when pricing_category = 'Dynamic' then 'spot'
            when pricing_category = 'Committed' then 'commitment'
            else 'on_demand'
        end                                 as purchase_option,
        sum(consumed_quantity)              as instance_hours,
        sum(consumed_quantity * x_gpu_count) as gpu_hours,
        sum(billed_cost)                    as billed_cost,
        sum(effective_cost)                 as effective_cost
    from costs
    group by all

)

select * from final
