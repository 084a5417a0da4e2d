delete from quarantine.gcp_billing_export where source_file in (select unnest($paths))
