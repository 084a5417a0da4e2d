-- The columns of one table whose type has no portable Parquet form (JSON is written as text).
select column_name from information_schema.columns
where table_schema = $schema and table_name = $table_name and data_type = 'JSON'
order by ordinal_position
