-- Every provider's line items in one FOCUS 1.2-aligned shape (snake_case), before marts add allocation columns.
-- AWS mapping follows the FOCUS "AWS CUR → FOCUS" conversion and AWS's documented amortized view:
--   billed cost = unblended cost (Savings Plan negation rows cancel the covered usage, fees are billed);
--   effective cost = amortized:
--     SavingsPlanCoveredUsage   its Savings Plan effective cost (recurring + amortized upfront share)
--     SavingsPlanNegation       0 (it only cancels the on-demand price of covered usage)
--     SavingsPlanRecurringFee   the unused commitment only (total commitment - used commitment)
--     SavingsPlanUpfrontFee     0: the purchase is carried by the usage it covers, never counted twice
--     DiscountedUsage (RI)      its reservation effective cost
--     RIFee                     the unused part only (unused amortized upfront + unused recurring fee)
--     Fee of a reservation      0 (RI upfront purchase, amortized into DiscountedUsage)
--     everything else           its unblended cost, with its sign (EDP / private-rate / bundled discounts,
--                               credits, refunds, tax, support, marketplace)
-- Net cost (after negotiated discounts: EDP, private rates, bundled discounts) is what allocation and unit economics
-- use. Each AWS line carries its own discount in line_item_net_unblended_cost (and the net Savings Plan and
-- reservation effective costs), so:
--   net billed cost     line_item_net_unblended_cost, or the unblended cost where the bill has no net columns;
--   net effective cost  as effective cost, from the net columns (savings_plan_net_savings_plan_effective_cost,
--                       reservation_net_effective_cost, reservation_net_unused_*; a Savings Plan's unused commitment
--                       scaled by the fee line's own net/unblended ratio);
--   discount lines      (EdpDiscount, PrivateRateDiscount, BundledDiscount) are 0 in the net view when the bill has
--                       net columns, since every other line already carries its share; without net columns they keep
--                       their unblended cost (then they are the only place the discount shows).
-- Credits, refunds and tax are not negotiated discounts: they keep their own (net) cost in every view.
-- FOCUS rows and GCP rows state net cost themselves (GCP: cost + credits on the same row), so net = billed there.
-- GCP committed use discounts are amortized like AWS commitments (int_gcp_commitment_amortized): covered usage
-- carries its share of the commitment fee in effective cost, the fee row (a Purchase) only its unused part.
with aws as (

    select * from {{ ref('stg_aws_cur__line_items') }}

),

aws_services as (

    select * from {{ ref('aws_services') }}

),

gpus as (

    select * from {{ ref('gpu_instance_types') }}

),

focus as (

    select * from {{ ref('stg_focus__cost_rows') }}

),

gcp as (

    select * from {{ ref('stg_gcp__billing_export') }}

),

gcp_commitments_amortized as (

    select * from {{ ref('int_gcp_commitment_amortized') }}

),

gcp_services as (

    select * from {{ ref('gcp_services') }}

),

aws_focus as (

    select
        'aws:' || aws.line_item_key                                    as cost_id,
        'AWS'                                                          as provider_name,
        cast(aws.billing_period_start_at as date)                      as billing_period_start,
        aws.usage_start_at                                             as charge_period_start,
        aws.usage_end_at                                               as charge_period_end,
        aws.billing_account_id,
        aws.sub_account_id,
        aws.sub_account_name,
        coalesce(svc.service_name, aws.product_code)                   as service_name,
        coalesce(svc.service_category, 'Other')                        as service_category,
        aws.region_id,
        aws.availability_zone,
        aws.resource_id,
        aws.sku_id,
        case
            when aws.line_item_type in ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage', 'SavingsPlanNegation')
                then 'Usage'
            when aws.line_item_type in ('SavingsPlanRecurringFee', 'SavingsPlanUpfrontFee', 'RIFee', 'Fee')
                then 'Purchase'
            when aws.line_item_type = 'Tax' then 'Tax'
            when aws.line_item_type in ('Credit', 'Refund') then 'Credit'
            else 'Adjustment'
        end                                                            as charge_category,
        case when aws.line_item_type = 'Refund' then 'Correction' end  as charge_class,
        case
            when aws.line_item_type in ('SavingsPlanUpfrontFee', 'Tax', 'Credit', 'Refund') then 'One-Time'
            when aws.line_item_type in ('SavingsPlanRecurringFee', 'RIFee') then 'Recurring'
            else 'Usage-Based'
        end                                                            as charge_frequency,
        case
            when aws.pricing_term = 'Spot' then 'Dynamic'
            when aws.line_item_type in ('SavingsPlanCoveredUsage', 'DiscountedUsage') then 'Committed'
            when aws.line_item_type in ('Usage') then 'Standard'
        end                                                            as pricing_category,
        aws.unblended_cost_usd                                         as billed_cost,
        {{ aws_effective_cost('aws') }}                                as effective_cost,
        case
            when aws.line_item_type in {{ discount_line_item_types() }} and aws.net_unblended_cost_usd is not null
                then {{ money(0) }}
            else coalesce(aws.net_unblended_cost_usd, aws.unblended_cost_usd)
        end                                                            as net_billed_cost,
        {{ aws_effective_cost('aws', net=true) }}                      as net_effective_cost,
        coalesce(aws.public_on_demand_cost_usd, aws.unblended_cost_usd) as list_cost,
        aws.net_unblended_cost_usd                                     as contracted_cost,
        aws.usage_amount                                               as consumed_quantity,
        aws.pricing_unit                                               as consumed_unit,
        aws.billing_currency,
        {{ normalized_aws_tags('aws.resource_tags') }}                as tags,
        aws.line_item_type                                             as x_line_item_type,
        aws.usage_type                                                 as x_usage_type,
        aws.operation                                                  as x_operation,
        aws.product_family                                             as x_product_family,
        aws.instance_type                                              as x_instance_type,
        gpus.gpu_count                                                 as x_gpu_count,
        aws.delivery_id                                                as x_delivery_id,
        aws.source_file                                                as x_source_file,
        aws.export_format                                              as x_export_format,
        aws.public_on_demand_cost_usd                                  as x_public_on_demand_cost
    from aws
    left join aws_services as svc on svc.product_code = aws.product_code
    left join gpus on gpus.provider_name = 'AWS' and gpus.instance_type = aws.instance_type

),

-- FOCUS exports are already in this shape: billed and effective cost as the provider states them.
focus_rows as (

    select
        cost_id,
        provider_name,
        billing_period_start,
        charge_period_start,
        charge_period_end,
        billing_account_id,
        sub_account_id,
        sub_account_name,
        service_name,
        coalesce(service_category, 'Other')                            as service_category,
        region_id,
        availability_zone,
        resource_id,
        sku_id,
        charge_category,
        charge_class,
        charge_frequency,
        pricing_category,
        billed_cost,
        effective_cost,
        billed_cost                                                    as net_billed_cost,
        effective_cost                                                 as net_effective_cost,
        list_cost,
        contracted_cost,
        consumed_quantity,
        consumed_unit,
        billing_currency,
        tags,
        cast(null as string)                                          as x_line_item_type,
        cast(null as string)                                          as x_usage_type,
        cast(null as string)                                          as x_operation,
        cast(null as string)                                          as x_product_family,
        cast(null as string)                                          as x_instance_type,
        cast(null as integer)                                          as x_gpu_count,
        delivery_id                                                    as x_delivery_id,
        source_file                                                    as x_source_file,
        'focus:' || export_name                                        as x_export_format,
        cast(null as decimal(38, 10))                                  as x_public_on_demand_cost
    from focus

),

-- GCP billing export: billed = net cost (cost + credits, credits negative), effective = amortized; list = cost at list.
gcp_rows as (

    select
        gcp.cost_id,
        'Google Cloud'                                                 as provider_name,
        cast(gcp.billing_period || '-01' as date) as billing_period_start,
        gcp.usage_start_time                                           as charge_period_start,
        gcp.usage_end_time                                             as charge_period_end,
        gcp.billing_account_id,
        gcp.project_id                                                 as sub_account_id,
        gcp.project_name                                               as sub_account_name,
        gcp.service_description                                        as service_name,
        coalesce(svc.service_category, 'Other')                        as service_category,
        gcp.location_region                                            as region_id,
        gcp.location_zone                                              as availability_zone,
        gcp.resource_id,
        gcp.sku_id,
        case
            when gcp.cost_type = 'tax' then 'Tax'
            when gcp.cost_type in ('adjustment', 'rounding_error') then 'Adjustment'
            when {{ gcp_fee_commitment_key('gcp.sku_description') }} <> '' then 'Purchase'
            else 'Usage'
        end                                                            as charge_category,
        cast(null as string)                                          as charge_class,
        case
            when gcp.cost_type = 'tax' then 'One-Time'
            when {{ gcp_fee_commitment_key('gcp.sku_description') }} <> '' then 'Recurring'
            else 'Usage-Based'
        end                                                            as charge_frequency,
        case
            when gcp.sku_description ilike '%spot%' or gcp.sku_description ilike '%preemptible%' then 'Dynamic'
            when gcp.sku_description ilike '%commitment%' or gcp.commitment_credits_amount < 0 then 'Committed'
            else 'Standard'
        end                                                            as pricing_category,
        gcp.net_cost                                                   as billed_cost,
        coalesce(amortized.effective_cost, gcp.net_cost)               as effective_cost,
        gcp.net_cost                                                   as net_billed_cost,
        coalesce(amortized.effective_cost, gcp.net_cost)               as net_effective_cost,
        gcp.cost_at_list                                               as list_cost,
        gcp.cost                                                       as contracted_cost,
        gcp.usage_amount_in_pricing_units                              as consumed_quantity,
        gcp.usage_pricing_unit                                         as consumed_unit,
        gcp.currency                                                   as billing_currency,
        gcp.labels                                                     as tags,
        gcp.cost_type                                                  as x_line_item_type,
        gcp.sku_description                                            as x_usage_type,
        cast(null as string)                                          as x_operation,
        gcp.service_description                                        as x_product_family,
        gcp.machine_type                                               as x_instance_type,
        gpus.gpu_count                                                 as x_gpu_count,
        cast(null as string)                                          as x_delivery_id,
        gcp.source_file                                                as x_source_file,
        'gcp_billing_export'                                           as x_export_format,
        cast(null as decimal(38, 10))                                  as x_public_on_demand_cost
    from gcp
    left join gcp_commitments_amortized as amortized on amortized.cost_id = gcp.cost_id
    left join gcp_services as svc on svc.service_description = gcp.service_description
    left join gpus on gpus.provider_name = 'GCP' and gpus.instance_type = gcp.machine_type

),

final as (

    select * from aws_focus
    {{ union_all_by_name() }}
    select * from focus_rows
    {{ union_all_by_name() }}
    select * from gcp_rows

)

select * from final
