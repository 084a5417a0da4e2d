-- One row per alert notification attempt: what was sent where it goes (never the URL, a secret), and whether the
-- receiver took it. An alert is sent once per (alert_key): a key with a delivered row is not sent again.
create table if not exists audit.alert_notifications (
    alert_key     varchar not null,      -- e.g. 'budget/all-cloud/2026-10/warn'
    subject       varchar not null,      -- the budget (or other subject) the alert is about
    period        varchar,               -- the month it is about
    status        varchar not null,      -- the breach: warn | over
    message       varchar not null,      -- the text sent
    attempted_at  timestamptz not null,
    delivered     boolean not null,
    http_status   integer,               -- the receiver's answer, when it answered
    error         varchar,               -- why it was not delivered
    run_id        varchar                -- the Dagster run that sent it
);
