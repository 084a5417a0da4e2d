-- The base tables of the built layers in the warehouse file (a table the lake's view replaces must be dropped).
select schema_name || '.' || table_name from duckdb_tables()
where schema_name in ('staging', 'intermediate', 'marts') and not temporary
