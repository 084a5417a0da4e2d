-- Data transfer cost and volume per day, classified from the usage type:
--   internet (…DataTransfer-Out-Bytes), inter_region (…-AWS-Out-Bytes), inter_az (…DataTransfer-Regional-Bytes),
--   nat_gateway (…NatGateway-Bytes), cdn (CloudFront), other (any other …Bytes usage);
-- GCP from the SKU description (Network Internet Egress …, Inter Region, Inter Zone, Cloud NAT, CDN).
with costs as (

    select * from {{ ref('fct_cost') }}
    where charge_category = 'Usage'
      and (
          (provider_name = 'AWS' and x_usage_type like '%Bytes%' and x_usage_type not like '%TimedStorage%')
          or (provider_name = 'Google Cloud'
              and (x_usage_type ilike '%egress%' or x_usage_type ilike '%data transfer out%'))
      )

),

classified as (

    select
        *,
        case
            when x_usage_type like '%CloudFront%' or service_name like '%CloudFront%'
                 or x_usage_type ilike '%cdn%' then 'cdn'
            when provider_name = 'Google Cloud' and x_usage_type ilike '%inter zone%' then 'inter_az'
            when provider_name = 'Google Cloud' and x_usage_type ilike '%inter region%' then 'inter_region'
            when provider_name = 'Google Cloud' and x_usage_type ilike '%internet%' then 'internet'
            when provider_name = 'Google Cloud' and x_usage_type ilike '%nat%' then 'nat_gateway'
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
        billing_currency,
        -- AWS bills data transfer in GB; GCP prices it per gibibyte
        sum(case when consumed_unit = 'gibibyte' then consumed_quantity * 1.073741824
                 else consumed_quantity end) as egress_gb,
        sum(billed_cost)        as billed_cost,
        sum(effective_cost)     as effective_cost
    from classified
    group by all

)

select * from final
