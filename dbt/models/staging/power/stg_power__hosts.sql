-- Which rack each GPU host sits in (topology file); hosts are matched to telemetry case-insensitively downstream.
select host, rack
from {{ source('power', 'power_hosts') }}
