select count(*) from raw.gcp_billing_export where _source_file in (select unnest($paths))
