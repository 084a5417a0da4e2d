-- A load begins: recorded before its transaction, so a crash leaves a 'running' row to explain it.
insert into audit.loads (load_id, source, target_table, partition_key, delivery_id, input_files, started_at, status)
values ($load_id, $source, $target_table, $partition_key, $delivery_id, $input_files, $started_at, 'running')
