-- The first rows of one warehouse table, in column order.
select * from {{ schema | ident }}.{{ table | ident }} limit $limit
