-- The staging view over the files' tables (stage.sql), dropped before them.
drop view if exists _gcp_stage;
