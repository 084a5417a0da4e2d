-- The rows of one warehouse table.
select count(*) from {{ schema | ident }}.{{ table | ident }}
