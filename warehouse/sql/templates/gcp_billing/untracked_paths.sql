-- Files with rows loaded but no recorded checksum (a warehouse from before files were tracked).
select distinct _source_file from raw.gcp_billing_export where _source_file in (select unnest($paths))
