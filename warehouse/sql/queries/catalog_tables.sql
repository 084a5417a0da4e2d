-- Every table of the layers users read (with its estimated rows) and every view, for `infraledger tables`.
select schema_name || '.' || table_name as "table", estimated_size as "rows"
from duckdb_tables()
where schema_name in ('marts', 'intermediate', 'staging', 'raw', 'audit')
union all
select schema_name || '.' || view_name, null
from duckdb_views()
where schema_name in ('marts', 'intermediate', 'staging') and not internal
order by 1
