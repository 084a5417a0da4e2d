-- Rows judged, rows rejected, rows already in the warehouse.
select count(*), count(_reason), count(*) filter (_reason is null and _present) from _gcp_judged
