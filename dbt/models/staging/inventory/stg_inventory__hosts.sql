-- One row per known machine (provider, resource), as the inventory last saw it.
select
    provider,
    resource_id,
    instance_type,
    hostname,
    lower(private_dns_name) as private_dns_name,
    private_ip,
    zone,
    account,
    state,
    state_reason,
    instance_lifecycle,
    case provider when 'onprem' then 'on_prem' else provider end as provider_kind,
    last_seen
from {{ source('inventory', 'host_inventory') }}
