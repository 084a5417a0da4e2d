-- Every name a telemetry host may go by, mapped to its machine: the Name tag / node name, the EC2 private DNS
-- name (the EKS node name) and its short form, the private IP and the resource id itself. A GKE node is its GCE
-- instance, and the GCP bill names that instance (resource.name), so a Compute Engine VM on the bill is known even
-- when no inventory lists it; an inventory's entry wins over the bill's. A name claimed by two machines (a reused
-- IP) goes to the one seen most recently.
with inventory as (

    select
        provider, resource_id, instance_type, zone, account, last_seen, 1 as source_rank,
        {{ unnest_list(['lower(hostname)', 'private_dns_name', "split_part(private_dns_name, '.', 1)", 'private_ip',
                        'lower(resource_id)']) }} as match_key
    from {{ ref('stg_inventory__hosts') }}

),

gcp_vms as (

    select
        provider, resource_id, instance_type, zone, account, last_seen, source_rank,
        -- the export's resource id is the global name (//compute.googleapis.com/projects/…/instances/<name>)
        {{ unnest_list(['lower(resource_id)', "lower(regexp_extract(resource_id, '([^/]+)$', 1))"]) }} as match_key
    from (
        select
            'gcp' as provider, resource_id, {{ any_non_null('x_instance_type') }} as instance_type,
            {{ any_non_null('availability_zone') }} as zone, {{ any_non_null('sub_account_id') }} as account,
            max(charge_period_end) as last_seen, 2 as source_rank
        from {{ ref('int_costs_unioned') }}
        where provider_name = 'Google Cloud' and service_name = 'Compute Engine' and resource_id is not null
        group by resource_id
    )

),

names as (

    select * from inventory
    {{ union_all_by_name() }}
    select * from gcp_vms

)

select match_key, provider, resource_id, instance_type, zone, account
from names
where match_key is not null and match_key <> ''
qualify row_number() over (partition by match_key order by source_rank, last_seen desc, provider, resource_id) = 1
