-- The newest export_time loaded (incremental reads start at it minus the overlap).
select max(export_time) from raw.gcp_billing_export
