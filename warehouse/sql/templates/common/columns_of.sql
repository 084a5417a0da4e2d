-- The columns of a staged table, in order.
select column_name from (describe {{ table | relation }})
