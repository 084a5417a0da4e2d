{#- The contract (the columns in the YAML) holds for the default allocation tag keys; other keys give other
    tag_<key> columns, and the contract then steps aside rather than fail the build. -#}
{{ config(contract={'enforced': var('allocation_tag_keys') | list == ['service', 'team']}) }}
-- One row per deduplicated source line item, FOCUS 1.2 columns in snake_case, with the allocation tag keys
-- (var allocation_tag_keys, default service and team) as tag_<key> columns; cost without the tag is 'untagged', never dropped.
with costs as (

    select * from {{ ref('int_costs_unioned') }}

),

final as (

    select
        cost_id,
        billing_period_start,
        charge_period_start,
        charge_period_end,
        cast(charge_period_start as date)          as charge_date,
        provider_name,
        billing_account_id,
        sub_account_id,
        sub_account_name,
        service_name,
        service_category,
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
        net_billed_cost,
        net_effective_cost,
        list_cost,
        contracted_cost,
        consumed_quantity,
        consumed_unit,
        billing_currency,
        tags,
        {%- for key in var('allocation_tag_keys') %}
        coalesce(nullif(tags[{{ "'" ~ key ~ "'" }}], ''), 'untagged') as tag_{{ key | replace('-', '_') | lower }},
        {%- endfor %}
        x_line_item_type,
        x_usage_type,
        x_operation,
        x_product_family,
        x_instance_type,
        x_gpu_count,
        x_delivery_id,
        x_source_file,
        x_export_format,
        x_public_on_demand_cost
    from costs

)

select * from final
