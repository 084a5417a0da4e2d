-- The part each answer file of the batch belongs to.
create or replace temp table _prom_files as
select distinct unnest($paths) as filename, unnest($file_parts) as part
