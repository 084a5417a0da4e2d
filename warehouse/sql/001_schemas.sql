-- The six schemas of the warehouse. dbt writes staging, intermediate and marts under these exact names.
create schema if not exists raw;
create schema if not exists staging;
create schema if not exists intermediate;
create schema if not exists marts;
create schema if not exists quarantine;
create schema if not exists audit;
