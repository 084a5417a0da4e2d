-- Every schema's tables and views (DuckDB's own SHOW TABLES lists only the default schema, which is empty here).
select schema_name as schema, table_name as name, 'table' as kind, estimated_size as rows
from duckdb_tables() where not internal
union all
select schema_name, view_name, 'view', null from duckdb_views() where not internal
order by schema, name
