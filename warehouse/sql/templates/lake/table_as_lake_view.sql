-- A table another engine wrote to the lake, readable here: a view over its Parquet files (replacing the table of
-- the same name a DuckDB build left, if any).
{% if drop_table %}drop table {{ relation | relation }};
{% endif %}create or replace view {{ relation | relation }} as
select * from read_parquet({{ files | literal }}, hive_partitioning = true)
