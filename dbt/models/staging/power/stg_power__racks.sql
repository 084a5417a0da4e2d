-- The racks of the topology file: one row per (site, rack, PDU feeding it), with the rack's capacity.
select site, room, rack, capacity_kw, pdu
from {{ source('power', 'power_racks') }}
