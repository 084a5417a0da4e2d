-- Keep one row the reader or the loader set aside, with where it was and why.
insert into quarantine.host_inventory values ($source, $load_id, $file, $line, $reason, $row, now())
