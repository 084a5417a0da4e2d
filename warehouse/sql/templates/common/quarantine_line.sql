-- A line the reader could not parse goes to the source's quarantine with its line number and the reader's reason.
insert into {{ quarantine | relation }} values ($partition_key, $load_id, $source_file, $line, $reason, $record, now())
