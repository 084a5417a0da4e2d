-- One notification attempt (alert_key, subject, period, status, message, attempted_at, delivered, http_status, error,
-- run_id).
insert into audit.alert_notifications values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
