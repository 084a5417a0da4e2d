drop table if exists _gcp_rejects;
drop table if exists _gcp_rejects_scan
