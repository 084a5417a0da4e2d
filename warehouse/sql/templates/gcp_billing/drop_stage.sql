-- The views over the files' tables (typed.sql over stage.sql), dropped before them.
drop view if exists _gcp_typed;
drop view if exists _gcp_stage;
