-- A table's columns and types in declaration order.
select column_name, data_type from information_schema.columns
where table_schema = $schema and table_name = $table order by ordinal_position
