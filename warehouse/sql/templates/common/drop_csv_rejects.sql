drop table if exists _csv_rejects;
drop table if exists _csv_rejects_scan
