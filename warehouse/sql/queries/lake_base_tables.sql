-- The base tables of the schemas the lake holds (raw, audit, quarantine), schema.table, in order.
select schema_name || '.' || table_name
from duckdb_tables()
where schema_name in ('raw', 'audit', 'quarantine') and not temporary
order by 1
