-- The quarantine tables.
select table_name from information_schema.tables where table_schema = 'quarantine' order by 1
