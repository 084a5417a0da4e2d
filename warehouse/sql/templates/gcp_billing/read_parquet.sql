-- One Parquet export file.
create or replace temp table {{ table | relation }} as
select * from read_parquet($path, filename = true, file_row_number = true)
