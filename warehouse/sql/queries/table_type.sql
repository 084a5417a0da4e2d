-- Whether a warehouse relation is a BASE TABLE or a VIEW.
select table_type from information_schema.tables where table_schema = $schema and table_name = $table
