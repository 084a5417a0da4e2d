-- A delivery's Parquet files as one view: the judging pass reads only the columns it judges, and the insert streams
-- the good rows straight from the files (a CUR month is read about once, as DuckDB's own load would).
create or replace temp view _cur_stage as
select * from read_parquet([{{ files | map('literal') | join(', ') }}], union_by_name = true,
                           hive_partitioning = false, filename = true, file_row_number = true)
