-- When an alert ($alert_key) was delivered, if ever (the newest delivery).
select max(attempted_at) from audit.alert_notifications where alert_key = $alert_key and delivered
