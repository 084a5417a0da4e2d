-- Whether the stage is a view (Parquet, read in place) or a table (legacy CSV, read as text).
select table_type from information_schema.tables where table_name = '_cur_stage' and table_catalog = 'temp'
