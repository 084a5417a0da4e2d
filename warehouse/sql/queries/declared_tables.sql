-- Every table of the current database (the DDL's, when run on an in-memory copy).
select table_schema, table_name from information_schema.tables where table_catalog = current_database()
