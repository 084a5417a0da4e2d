-- Upsert the snapshot (the relation `_inventory_snapshot`): a known machine keeps its first_seen and any field the
-- new snapshot leaves empty; its state, source, last_seen and load move on. Never deletes.
insert into raw.host_inventory (provider, resource_id, instance_type, hostname, private_dns_name, private_ip, zone,
                                account, state, inventory_source, first_seen, last_seen, _load_id, state_reason,
                                instance_lifecycle)
select provider, resource_id, instance_type, hostname, private_dns_name, private_ip, zone, account, state,
       $source as inventory_source, now(), now(), $load_id, state_reason, instance_lifecycle
from _inventory_snapshot
on conflict (provider, resource_id) do update set
    instance_type = coalesce(excluded.instance_type, instance_type),
    hostname = coalesce(excluded.hostname, hostname),
    private_dns_name = coalesce(excluded.private_dns_name, private_dns_name),
    private_ip = coalesce(excluded.private_ip, private_ip),
    zone = coalesce(excluded.zone, zone),
    account = coalesce(excluded.account, account),
    state = excluded.state,
    state_reason = excluded.state_reason,
    instance_lifecycle = coalesce(excluded.instance_lifecycle, instance_lifecycle),
    inventory_source = excluded.inventory_source,
    last_seen = excluded.last_seen,
    _load_id = excluded._load_id
