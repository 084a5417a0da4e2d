-- Data transfer cost and volume per day, classified from the usage type:
--   internet (…DataTransfer-Out-Bytes), inter_region (…-AWS-Out-Bytes), inter_az (…DataTransfer-Regional-Bytes),
--   nat_gateway (…NatGateway-Bytes), cdn (CloudFront), other (any other …Bytes usage).
with costs as (

    select * from {{ ref('fct_cost') }}
    where charge_category = 'Usage'
      and x_usage_type like '%Bytes%'
      and x_usage_type not like '%TimedStorage%'

),

classified as (

    select
        *,
        case
            when x_usage_type like '%CloudFront%' or service_name like '%CloudFront%' then 'cdn'
            when x_usage_type like '%NatGateway-Bytes' then 'nat_gateway'
            when x_usage_type like '%DataTransfer-Regional-Bytes' then 'inter_az'
            when regexp_matches(x_usage_type, '-AWS-(Out|In)-Bytes$') then 'inter_region'
            when x_usage_type like '%DataTransfer-Out-Bytes' then 'internet'
            else 'other'
        end as egress_class
    from costs

),

final as (

    select
        charge_date,
        provider_name,
        sub_account_id,
        region_id,
        tag_service,
        egress_class,
        sum(consumed_quantity)  as egress_gb,
        sum(billed_cost)        as billed_cost,
        sum(effective_cost)     as effective_cost
    from classified
    group by all

)

select * from final
