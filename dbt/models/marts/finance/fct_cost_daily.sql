{#- The contract (the columns in the YAML) holds for the default allocation tag keys; other keys give other
    tag_<key> columns, and the contract then steps aside rather than fail the build. -#}
{{ config(contract={'enforced': var('allocation_tag_keys') | list == ['service', 'team']}) }}
-- Daily cost for fast queries: day x provider x account x service x region x charge category x tags.
with costs as (

    select * from {{ ref('fct_cost') }}

),

final as (

    select
        charge_date,
        provider_name,
        billing_account_id,
        sub_account_id,
        service_name,
        service_category,
        coalesce(region_id, 'global')   as region_id,
        charge_category,
        {%- for key in var('allocation_tag_keys') %}
        tag_{{ key | replace('-', '_') | lower }},
        {%- endfor %}
        billing_currency,
        sum(billed_cost)                as billed_cost,
        sum(effective_cost)             as effective_cost,
        sum(net_billed_cost)            as net_billed_cost,
        sum(net_effective_cost)         as net_effective_cost,
        sum(list_cost)                  as list_cost,
        count(*)                        as line_items
    from costs
    group by all

)

select * from final
