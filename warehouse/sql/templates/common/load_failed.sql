-- A load failed and was rolled back: the error is kept.
update audit.loads set finished_at = $finished_at, status = 'failed', message = $message where load_id = $load_id
