-- Data transfer per day, account, service, source region, destination and class, in GB with both cost views.
-- GB means 10^9 bytes for every provider: AWS bills data transfer in GB; GCP bills gibibytes (2^30 bytes), converted
-- here (billed_quantity and billed_unit keep what the bill says).
-- Direction: a transfer counts once, at its sending side (direction 'out'). The receiving side's rows (AWS
-- …-AWS-In-Bytes, inter-AZ operation InterZone-In, …DataTransfer-In-Bytes, DataXfer-In; GCP "…Ingress…") are
-- egress_class 'inbound' with their transfer_class beside, so their cost is kept and their bytes are not counted as
-- egress: Σ gb where egress_class <> 'inbound' is the data moved out. Per class: internet, cdn, nat, vpc_peering,
-- transit_gateway, direct_connect and other count the bytes sent; inter_region counts the source's Out-Bytes row;
-- inter_az (billed in each direction) counts the InterZone-Out side.
-- AWS: first match wins, after the AWS Cloud Intelligence Dashboards' data transfer rules:
--   1. service Amazon CloudFront -> cdn (its usage types also end in DataTransfer-Out-Bytes: the CloudFront trap);
--   2. service AWS Direct Connect or a DataXfer usage type -> direct_connect;
--   3. …TransitGateway-Bytes -> transit_gateway;  4. …VpcPeering-… -> vpc_peering;  5. …NatGateway-Bytes -> nat;
--   6. …DataTransfer-Regional-Bytes -> inter_az;  7. <REG>-<REG>-AWS-Out-Bytes / -AWS-In-Bytes -> inter_region;
--   8. …DataTransfer-Out-Bytes -> internet;  9. anything else measured in bytes -> other.
-- GCP by SKU description, old and new wording: "Network Internet Egress from X to Y" and "Network Internet Data
-- Transfer Out from X to Y" -> internet, "Inter Region" -> inter_region, "Inter Zone" -> inter_az, "Cloud NAT" ->
-- nat, "CDN" -> cdn, "Interconnect" -> direct_connect, "VPC Peering" -> vpc_peering, Cloud Storage "Download …"
-- (Worldwide Destinations, Australia, China, APAC) -> internet; "Inter-region" / "Inter Region" both wordings;
-- a data transfer SKU that matches none is `other`, never dropped. GCP rows count only when priced per byte unit.
with costs as (

    select * from {{ ref('fct_cost') }}
    where charge_category = 'Usage'
      and {{ is_data_transfer('provider_name', 'x_usage_type') }}
      and (provider_name <> 'Google Cloud' or consumed_unit in ('byte', 'gibibyte', 'tebibyte', 'gigabyte'))

),

regions as (

    select * from {{ ref('aws_region_codes') }}

),

classified as (

    select
        c.*,
        {{ transfer_direction('c.provider_name', 'c.x_usage_type', 'c.x_operation') }} as direction,
        {{ transfer_class('c.provider_name', 'c.service_name', 'c.x_usage_type') }} as transfer_class,
        {{ egress_class('c.provider_name', 'c.service_name', 'c.x_usage_type', 'c.x_operation') }} as egress_class,
        -- AWS usage types carry region codes: USE1-USW2-AWS-Out-Bytes (from, to), USW2-DataTransfer-Out-Bytes
        regexp_extract(c.x_usage_type, '^([A-Z]{2,4}[0-9])-', 1)                             as from_code,
        regexp_extract(c.x_usage_type, '^[A-Z]{2,4}[0-9]-([A-Z]{2,4}[0-9])-', 1)             as to_code,
        regexp_extract(c.x_usage_type, '(?i)from (.+) to (.+)$', 1)                          as gcp_from,
        regexp_extract(c.x_usage_type, '(?i)from (.+) to (.+)$', 2)                          as gcp_to
    from costs as c

),

located as (

    select
        k.*,
        case
            when k.provider_name = 'Google Cloud' then coalesce(nullif(k.gcp_from, ''), k.region_id)
            when k.direction = 'in' and k.transfer_class = 'inter_region' then coalesce(t.region, k.to_code)
            when k.direction = 'in' then null
            else coalesce(f.region, k.region_id)
        end as source_region,
        case
            when k.direction = 'in' and k.transfer_class = 'inter_region' then coalesce(f.region, k.region_id)
            when k.direction = 'in' then k.region_id
            when k.transfer_class in ('internet', 'cdn') and k.provider_name = 'AWS' then 'internet'
            when k.provider_name = 'Google Cloud' and k.gcp_to <> '' then k.gcp_to
            when k.provider_name = 'Google Cloud' and k.transfer_class = 'internet' then 'internet'
            when k.transfer_class = 'inter_region' then coalesce(t.region, k.to_code)
            when k.transfer_class in ('inter_az', 'nat', 'vpc_peering', 'transit_gateway') then coalesce(f.region, k.region_id)
            when k.transfer_class = 'direct_connect' then 'on_premises'
            else null
        end as destination
    from classified as k
    left join regions as f on f.code = k.from_code
    left join regions as t on t.code = k.to_code

)

select
    charge_date                 as day,
    provider_name               as provider,
    sub_account_id              as account,
    tag_service                 as service,
    source_region,
    destination,
    egress_class,
    transfer_class,
    direction,
    billing_currency            as currency,
    consumed_unit               as billed_unit,
    sum(consumed_quantity)      as billed_quantity,
    -- GB = 10^9 bytes: AWS bills data transfer in GB; GCP prices it per gibibyte (2^30 bytes)
    sum(case consumed_unit
            when 'gibibyte' then consumed_quantity * 1.073741824
            when 'tebibyte' then consumed_quantity * 1099.511627776
            when 'byte' then consumed_quantity * 0.000000001
            else consumed_quantity end) as gb,
    sum(billed_cost)            as billed_cost,
    sum(effective_cost)         as amortized_cost,
    sum(net_billed_cost)        as net_billed_cost,
    sum(net_effective_cost)     as net_amortized_cost
from located
group by all
