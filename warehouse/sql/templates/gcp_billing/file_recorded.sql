-- A file read, with its checksum and rows (the next load skips it while its bytes are the same).
insert into audit.source_files values ($source, $path, $sha256, $load_id,
                                       (select count(*) from _gcp_judged where filename = $path), now())
