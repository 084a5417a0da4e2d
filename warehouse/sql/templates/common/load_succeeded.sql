-- A load's counts, recorded in its own transaction.
update audit.loads
set rows_read = $rows_read, rows_loaded = $rows_loaded, rows_quarantined = $rows_quarantined,
    rows_replaced = $rows_replaced, finished_at = $finished_at, status = 'success', message = $message
where load_id = $load_id
