-- The checksum each source file was last loaded with (a file with the same bytes is not read again).
select path, arg_max(sha256, loaded_at) from audit.source_files where source = $source group by path
