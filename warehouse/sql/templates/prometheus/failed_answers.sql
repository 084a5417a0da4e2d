-- An error answer ({"status": "error", ...}) has no data: reported, or it would vanish.
select filename, status, errorType, error from _prom_answers where status is distinct from 'success' limit 1
