-- One legacy Parquet file into a temporary table (names are normalised afterwards).
create or replace temp table {{ table | relation }} as
select * from read_parquet($path, hive_partitioning = false, filename = true, file_row_number = true)
