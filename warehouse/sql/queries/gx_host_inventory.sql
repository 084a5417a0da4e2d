-- Rows the great-expectations suite host_inventory validates: the whole inventory (hosts are upserted, never deleted).
select *
from raw.host_inventory
