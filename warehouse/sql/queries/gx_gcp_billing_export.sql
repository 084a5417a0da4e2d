-- Rows the great-expectations suite gcp_billing_export validates: the rows of the latest successful load.
select * exclude (labels, project_labels, system_labels, credits, adjustment_info)
from raw.gcp_billing_export
where _load_id = $load_id
