-- Resources known to the host inventory, per provider.
select provider, count(*) from raw.host_inventory group by provider order by provider
