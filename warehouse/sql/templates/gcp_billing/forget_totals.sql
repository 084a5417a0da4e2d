delete from audit.source_totals where source = $source and source_file in (select unnest($paths))
