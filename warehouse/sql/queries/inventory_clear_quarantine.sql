-- A snapshot replaces what an earlier snapshot of the same inventory source set aside.
delete from quarantine.host_inventory where partition_key = $source
