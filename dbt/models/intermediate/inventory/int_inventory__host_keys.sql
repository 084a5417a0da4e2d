-- Every name a telemetry host may go by, mapped to its machine: the Name tag / node name, the EC2 private DNS
-- name (the EKS node name) and its short form, the private IP and the resource id itself. A name claimed by two
-- machines (a reused IP) goes to the one seen most recently.
with names as (

    select
        provider, resource_id, instance_type, zone, account, last_seen,
        unnest([lower(hostname), private_dns_name, split_part(private_dns_name, '.', 1), private_ip,
                lower(resource_id)]) as match_key
    from {{ ref('stg_inventory__hosts') }}

)

select distinct on (match_key) match_key, provider, resource_id, instance_type, zone, account
from names
where match_key is not null and match_key <> ''
order by match_key, last_seen desc, provider, resource_id
