-- The register is replaced whole: its assets and the rows an earlier load of it quarantined.
delete from raw.onprem_assets;
delete from quarantine.onprem_assets where partition_key = 'register'
