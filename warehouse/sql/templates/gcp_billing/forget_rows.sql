-- What earlier versions of re-exported files loaded goes before their new version loads.
delete from raw.gcp_billing_export where _source_file in (select unnest($paths))
