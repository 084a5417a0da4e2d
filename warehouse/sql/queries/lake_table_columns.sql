-- The columns of one warehouse table, in order.
select column_name from information_schema.columns
where table_schema = $schema and table_name = $table_name
order by ordinal_position
